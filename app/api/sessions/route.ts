import { json, readBody, requestOrigin, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

export function POST(req: Request): Promise<Response> {
  return respond(async () => {
    const { api } = getServices();
    const session = await api.createSession(api.parseJsonBody(await readBody(req)));
    const absolute = `${requestOrigin(req)}${session.url}`;
    return json({ ...session, url: absolute, path: session.url }, 201, { location: absolute });
  });
}
