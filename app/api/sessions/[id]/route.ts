import { accessKey, json, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** The session, its transcript, counts of its commentary and the caller's role (any role's key). */
export function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    return json(await getServices().api.getSession(id, accessKey(req)));
  });
}
