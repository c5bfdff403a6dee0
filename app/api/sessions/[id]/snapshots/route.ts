import { accessKey, json, readBody, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** The session's history snapshots, newest first. */
export function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    return json(await getServices().api.listSnapshots(id, accessKey(req)));
  });
}

/** Takes a snapshot now, optionally named: `{ "name": "Before the vote" }`. */
export function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    const { api } = getServices();
    const raw = await readBody(req, 4096);
    const body = raw.trim() ? api.parseJsonBody(raw) : {};
    return json(await api.takeSnapshot(id, accessKey(req), body), 201);
  });
}
