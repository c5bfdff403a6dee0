import { json, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

export function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    return json(await getServices().api.getSession(id));
  });
}
