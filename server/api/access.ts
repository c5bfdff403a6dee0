import { CloseCode } from '../../lib/collab/close-codes';
import { canManageLinks, canWriteBrief, canWriteCommentary, isRole, ROLE_LABELS, ROLES, type Role } from '../../lib/collab/roles';
import { log } from '../log';
import type { Services } from '../services';
import type { StoredSession, StoredTranscript } from '../store/types';
import { badRequest, forbidden, notFound, unauthorized } from './errors';
import * as handlers from './handlers';

/**
 * Capability links on the HTTP side: every route that reads or changes a session
 * goes through `authorize`, and the owner's link management lives here.
 */

/** What a route needs its caller's role to allow. */
export type Need = 'read' | 'comment' | 'edit' | 'manage';

const ALLOWS: Record<Need, (role: Role) => boolean> = {
  read: () => true,
  comment: canWriteCommentary,
  edit: canWriteBrief,
  manage: canManageLinks,
};

const NEEDS_TEXT: Record<Need, string> = {
  read: 'open this session',
  comment: 'add to the commentary',
  edit: 'edit this session',
  manage: 'see or replace the links to this session',
};

/**
 * The session and the role `key` opens on it, if that role allows `need`. Throws
 * 404 for an unknown session (checked first), 401 without a key, 403 for a wrong
 * key or a role that does not allow `need`.
 */
export async function authorize(
  services: Services,
  sessionId: string,
  key: string | null | undefined,
  need: Need,
): Promise<{ session: StoredSession; role: Role }> {
  const session = handlers.isPlausibleSessionId(sessionId) ? await services.store.getSession(sessionId) : null;
  if (!session) throw notFound(`No review session has the id "${sessionId}".`);
  if (!key) {
    throw unauthorized('This link needs a key: open the full link the session owner shared (it ends in ?key=…), or send it as Authorization: Bearer <key>.');
  }
  const match = await services.links.verify(session.id, key);
  if (!match) throw forbidden('This key does not open this session: it is wrong, or the owner replaced the link. Ask the session owner for a current link.');
  if (!ALLOWS[need](match.role)) {
    throw forbidden(`A ${ROLE_LABELS[match.role].toLowerCase()} link cannot ${NEEDS_TEXT[need]}. Ask the session owner for a link with more access.`);
  }
  return { session, role: match.role };
}

/** One role's link as the owner sees it. */
export interface SessionLink {
  role: Role;
  /** Absolute when the request's origin is known, else the same as `path`. */
  url: string;
  /** `/sessions/<id>?key=<token>` */
  path: string;
  version: number;
}

function sessionLink(sessionId: string, role: Role, token: string, version: number, origin?: string): SessionLink {
  const path = `/sessions/${sessionId}?key=${token}`;
  return { role, url: origin ? `${origin}${path}` : path, path, version };
}

/** POST /api/sessions answer: the new session with the owner's link. */
export interface CreatedSession {
  id: string;
  title: string;
  transcriptId: string;
  createdAt: string;
  role: 'owner';
  /** The owner's token: the only time it is handed out without asking for it. */
  key: string;
  url: string;
  path: string;
}

/** POST /api/sessions: starts a review session and answers with the owner's link (no key needed to create). */
export async function createSession(services: Services, body: Record<string, unknown>, origin?: string): Promise<CreatedSession> {
  const created = await handlers.createSession(services, body);
  const links = await services.links.current(created.id);
  const owner = links.find((l) => l.role === 'owner')!;
  const link = sessionLink(created.id, 'owner', owner.token, owner.version, origin);
  return {
    id: created.id,
    title: created.title,
    transcriptId: created.transcriptId,
    createdAt: created.createdAt,
    role: 'owner',
    key: owner.token,
    url: link.url,
    path: link.path,
  };
}

/** GET /api/sessions/<id>: the session as `handlers.getSession` gives it, plus the caller's role. */
export async function getSession(services: Services, id: string, key: string | null) {
  const { role } = await authorize(services, id, key, 'read');
  return { ...(await handlers.getSession(services, id)), role };
}

/** The session page's data: the session, its transcript and the visitor's role; throws the same ApiErrors as `authorize`. */
export async function loadSessionForPage(
  services: Services,
  id: string,
  key: string | null,
): Promise<{ session: StoredSession; transcript: StoredTranscript; role: Role }> {
  const { role } = await authorize(services, id, key, 'read');
  return { ...(await handlers.loadSession(services, id)), role };
}

/** GET /api/sessions/<id>/links (owner only): the current link of every role. */
export async function listLinks(services: Services, id: string, key: string | null, origin?: string): Promise<{ links: SessionLink[] }> {
  const { session } = await authorize(services, id, key, 'manage');
  const links = await services.links.current(session.id);
  return { links: links.map((l) => sessionLink(session.id, l.role, l.token, l.version, origin)) };
}

/**
 * POST /api/sessions/<id>/links/<role>/rotate (owner only): replaces a role's link.
 * Every websocket opened with the old one is closed with LinkRotated; the owner may
 * rotate their own link, after which the key used for this request stops working.
 */
export async function rotateLink(services: Services, id: string, key: string | null, role: string, origin?: string): Promise<SessionLink> {
  const { session } = await authorize(services, id, key, 'manage');
  if (!isRole(role)) throw badRequest(`Unknown role "${role}". Roles: ${ROLES.join(', ')}.`);
  const rotated = await services.links.rotate(session.id, role);
  const closed = services.rooms.closeConnections(session.id, (info) => info.role === role, CloseCode.LinkRotated, 'Link replaced');
  log.info('rotated a session link', { session: session.id, role, version: rotated.version, closedConnections: closed });
  return sessionLink(session.id, role, rotated.token, rotated.version, origin);
}
