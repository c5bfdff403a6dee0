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
/** 404: the id names nothing this server has. */
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
