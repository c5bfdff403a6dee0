import { accessKey, json, readBody, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** The largest annotation file accepted (a session's JSON-LD export is far smaller). */
const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** POST a W3C Web Annotation collection (the JSON-LD export) to add its annotations to the session (commenter's key or better). */
export function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    const { api } = getServices();
    const key = accessKey(req);
    // Check the key before reading up to 10 MB from someone who may not hold one.
    await api.authorize(id, key, 'comment');
    return json(await api.importSessionAnnotations(id, key, await readBody(req, MAX_IMPORT_BYTES)));
  });
}
