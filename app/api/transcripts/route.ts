import { json, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return respond(async () => json({ transcripts: await getServices().api.listTranscripts() }));
}
