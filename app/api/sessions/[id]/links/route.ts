import { accessKey, json, requestOrigin, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** The current link of every role (owner's key only). */
export function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    return json(await getServices().api.listLinks(id, accessKey(req), requestOrigin(req)));
  });
}
