/**
 * Websocket close codes shared by the collaboration server and its clients.
 *
 * 4400–4499 mirror HTTP 4xx: the server decided and reconnecting cannot help, so the
 * stock y-websocket client stops retrying on them. 4500–4599 mirror 5xx: transient,
 * the client reconnects with backoff. Keep this file free of Node imports: the
 * browser bundle uses it too.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  BadMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  MessageTooLarge: 4413,
  ServerError: 4500,
  ServerRestarting: 4503,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName];

const MESSAGES: Record<number, string> = {
  [CloseCode.Normal]: 'The connection was closed.',
  [CloseCode.GoingAway]: 'The connection was closed because the page or server is going away.',
  [CloseCode.BadMessage]: 'The server could not read a change sent from this browser, so it closed the connection. Reload the page to continue.',
  [CloseCode.Unauthorized]: 'This link needs a valid access token. Ask the session owner for a new link.',
  [CloseCode.Forbidden]: 'Your role in this session does not allow this. Ask the session owner for edit access.',
  [CloseCode.NotFound]: 'This review session does not exist or was deleted.',
  [CloseCode.MessageTooLarge]: 'A change was too large to send, so the connection was closed. Reload the page and try a smaller change.',
  [CloseCode.ServerError]: 'The server had a problem with this session. Reconnecting…',
  [CloseCode.ServerRestarting]: 'The server is restarting. Reconnecting…',
};

/** A plain sentence for the UI explaining why the collaboration connection closed. */
export function closeMessage(code: number): string {
  return MESSAGES[code] ?? 'The connection to the server was lost. Reconnecting…';
}

/** Whether reconnecting cannot help after this close code (the range y-websocket's default stops retrying on). */
export function isFatalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}
