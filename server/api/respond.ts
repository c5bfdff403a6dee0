import { ApiError, isApiError } from './errors';

/** A JSON response with no caching: every API answer reflects the live session. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Runs a route's work and turns a thrown ApiError into its JSON error; anything else is a logged 500. */
export async function respond(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    if (isApiError(err)) return json({ error: { code: err.code, message: err.message } }, err.status);
    console.error(JSON.stringify({ level: 'error', msg: 'api request failed', time: new Date().toISOString(), error: String(err) }));
    return json({ error: { code: 'internal', message: 'Something went wrong on the server. Try again; if it persists, check the server log.' } }, 500);
  }
}

/** Reads a request body as text, refusing bodies over `limit` bytes before parsing them. */
export async function readBody(req: Request, limit = 64 * 1024): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new ApiError(413, 'too_large', `The request body is over ${limit} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > limit) throw new ApiError(413, 'too_large', `The request body is over ${limit} bytes.`);
  return text;
}

/**
 * The session key a request carries: `Authorization: Bearer <key>` (preferred: it
 * stays out of logs and history) or `?key=<key>`, as in a session link. Null when absent.
 */
export function accessKey(req: Request): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  if (bearer) return bearer;
  return new URL(req.url).searchParams.get('key') || null;
}

/** The origin the client used, for absolute links in exports. */
export function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? url.host;
  const proto = req.headers.get('x-forwarded-proto') ?? url.protocol.replace(':', '');
  return `${proto}://${host}`;
}
