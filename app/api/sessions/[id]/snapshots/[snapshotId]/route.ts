import { accessKey, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** The commentary's Yjs state at a snapshot, as bytes (`Y.applyUpdate` reads it). */
export function GET(req: Request, ctx: { params: Promise<{ id: string; snapshotId: string }> }): Promise<Response> {
  return respond(async () => {
    const { id, snapshotId } = await ctx.params;
    const state = await getServices().api.getSnapshotState(id, accessKey(req), snapshotId);
    return new Response(Buffer.from(state), {
      headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' },
    });
  });
}
