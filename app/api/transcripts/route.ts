import { isApiError } from '@/server/api/errors';
import { json, readBody, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return respond(async () => json({ transcripts: await getServices().api.listTranscripts() }));
}

/** Stores a previewed transcript: `{ transcript, source }` → 201 `{ id, title, … }`, or 400 listing every problem. */
export function POST(req: Request): Promise<Response> {
  return respond(async () => {
    const { api } = getServices();
    const body = api.parseJsonBody(await readBody(req, api.maxImportBodyBytes()));
    try {
      return json(await api.createTranscript(body), 201);
    } catch (err) {
      // The list of problems goes out as data too, so that a client can show each one.
      const problems = (err as { problems?: unknown }).problems;
      if (isApiError(err) && Array.isArray(problems)) return json({ error: { code: err.code, message: err.message, problems } }, err.status);
      throw err;
    }
  });
}
