/**
 * Websocket close codes shared by the collaboration server and its clients.
 *
 * 4400–4499 mirror HTTP 4xx: the server decided and reconnecting cannot help, so the
 * stock y-websocket client stops retrying on them. 4500–4599 mirror 5xx: transient,
 * the client reconnects with backoff. The limits on rate, room size and send buffer
 * sit in 4529–4532 on purpose: they describe a moment, not a verdict, so the client
 * reconnects after a pause and resyncs without losing anything. Keep this file free
 * of Node imports: the browser bundle uses it too.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** A malformed, truncated or unknown message, or an update Yjs rejects. */
  BadMessage: 4400,
  /** The websocket URL carried no `key`. */
  Unauthorized: 4401,
  /** The `key` does not open this session. */
  Forbidden: 4403,
  /** No session has this id. */
  NotFound: 4404,
  /** The owner replaced the link this connection was opened with. */
  LinkRotated: 4410,
  /** A message over the size limit, or an update with too many parts to apply quickly. */
  MessageTooLarge: 4413,
  ServerError: 4500,
  ServerRestarting: 4503,
  /** More messages per second than a connection may send. */
  TooManyMessages: 4529,
  /** More presence (awareness) changes per second than a connection may send. */
  TooManyAwarenessUpdates: 4530,
  /** The room has as many connections as it may hold. */
  RoomFull: 4531,
  /** The connection did not read what the server sent fast enough. */
  SlowConnection: 4532,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName];

const MESSAGES: Record<number, string> = {
  [CloseCode.Normal]: 'The connection was closed.',
  [CloseCode.GoingAway]: 'The connection was closed because the page or server is going away.',
  [CloseCode.BadMessage]: 'The server could not read a change sent from this browser, so it closed the connection. Reload the page to continue.',
  [CloseCode.Unauthorized]: 'This link is missing its key. Open the full link the session owner shared with you.',
  [CloseCode.Forbidden]: 'This link does not open this session: its key is wrong or no longer valid. Ask the session owner for a current link.',
  [CloseCode.NotFound]: 'This review session does not exist or was deleted.',
  [CloseCode.LinkRotated]: 'The session owner replaced the link you used, so it no longer works. Ask the owner for the new link.',
  [CloseCode.MessageTooLarge]: 'A change was too large to send, so the connection was closed. Reload the page and try a smaller change.',
  [CloseCode.ServerError]: 'The server had a problem with this session. Reconnecting…',
  [CloseCode.ServerRestarting]: 'The server is restarting. Reconnecting…',
  [CloseCode.TooManyMessages]: 'This browser sent changes faster than the server accepts. Reconnecting in a moment…',
  [CloseCode.TooManyAwarenessUpdates]: 'This browser updated its presence faster than the server accepts. Reconnecting in a moment…',
  [CloseCode.RoomFull]: 'This session has as many people connected as it can hold. Retrying until someone leaves…',
  [CloseCode.SlowConnection]: 'The connection was too slow to keep up with the session. Reconnecting…',
};

/** A plain sentence for the UI explaining why the collaboration connection closed. */
export function closeMessage(code: number): string {
  return MESSAGES[code] ?? 'The connection to the server was lost. Reconnecting…';
}

/**
 * Whether reconnecting cannot help after this close code: 4400–4499, the range
 * y-websocket's default stops retrying on (refusals, bad messages, a replaced link).
 * Rate limits, a full room and a slow connection are not fatal: they pass.
 */
export function isFatalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}
