/** An error an HTTP client caused and can fix: carries its status and a message for the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400: the request body or query is not what the route takes. */
export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
/** 401: the request carries no key, and this route needs one. */
export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);
/** 403: the key is wrong, or its role may not do this. */
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
/** 404: the id names nothing this server has. */
export const notFound = (message: string) => new ApiError(404, 'not_found', message);

/**
 * True for an ApiError, also one thrown by another copy of this module: route
 * handlers are bundled by Next.js, the server is not, so `instanceof` can fail.
 */
export function isApiError(err: unknown): err is ApiError {
  return (
    err instanceof ApiError ||
    (err instanceof Error && err.name === 'ApiError' && typeof (err as ApiError).status === 'number' && typeof (err as ApiError).code === 'string')
  );
}
