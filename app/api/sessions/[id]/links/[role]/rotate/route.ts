import { accessKey, json, requestOrigin, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** Replaces one role's link and disconnects whoever is using the old one (owner's key only). */
export function POST(req: Request, ctx: { params: Promise<{ id: string; role: string }> }): Promise<Response> {
  return respond(async () => {
    const { id, role } = await ctx.params;
    return json(await getServices().api.rotateLink(id, accessKey(req), role, requestOrigin(req)));
  });
}
