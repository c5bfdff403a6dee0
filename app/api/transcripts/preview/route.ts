import { json, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** Parses an uploaded file (the body; `?name=` its file name) into a transcript without storing it: 200 `{ transcript }`, or 400/413/415. */
export function POST(req: Request): Promise<Response> {
  return respond(async () => {
    const result = await getServices().api.previewTranscript({
      body: req.body,
      contentType: req.headers.get('content-type'),
      contentLength: req.headers.get('content-length'),
      name: new URL(req.url).searchParams.get('name'),
    });
    return json(result);
  });
}
