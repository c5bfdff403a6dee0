import { json, readBody, requestOrigin, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** Starts a review session; the answer carries the owner's link (`path`, `url`, `key`). */
export function POST(req: Request): Promise<Response> {
  return respond(async () => {
    const { api } = getServices();
    const session = await api.createSession(api.parseJsonBody(await readBody(req)), requestOrigin(req));
    // The Location names the resource, not the owner's link: the key stays in the body only.
    return json(session, 201, { location: `/api/sessions/${session.id}` });
  });
}
