import { accessKey, requestOrigin, respond } from '@/server/api/respond';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

export function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return respond(async () => {
    const { id } = await ctx.params;
    const format = new URL(req.url).searchParams.get('format');
    const file = await getServices().api.exportSession(id, accessKey(req), format, requestOrigin(req));
    return new Response(typeof file.body === 'string' ? file.body : Buffer.from(file.body), {
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        'cache-control': 'no-store',
      },
    });
  });
}
