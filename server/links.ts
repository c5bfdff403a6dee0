import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../lib/collab/roles';
import type { Store, StoredLink } from './store/types';

/** One role's current link: its version and the token derived from it. */
export interface CurrentLink {
  role: Role;
  version: number;
  token: string;
}

/** SHA-256 of a token as stored (hex). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens are base64url of 32 bytes: 43 characters. Anything else is refused without hashing. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Capability links: one token per session and role,
 * `base64url(HMAC-SHA256(secret, "<sessionId>:<role>:<version>"))`.
 *
 * Deriving instead of storing the tokens lets the owner be shown every link again
 * while the database holds only hashes: a stolen database opens nothing without
 * the secret. Rotating a role's link bumps its version, which changes its token.
 */
export class CapabilityLinks {
  private readonly key: Buffer;
  /** Versions rotated to in this process, to refuse a socket verified just before a rotation. */
  private readonly rotated = new Map<string, number>();

  constructor(
    private readonly store: Store,
    secret: string,
  ) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /** The token of `role` on `sessionId` at `version`. */
  token(sessionId: string, role: Role, version: number): string {
    return createHmac('sha256', this.key).update(`${sessionId}:${role}:${version}`).digest('base64url');
  }

  /** Every role's current link, creating (version 1) the ones the session lacks. */
  async current(sessionId: string): Promise<CurrentLink[]> {
    const stored = await this.ensure(sessionId);
    return ROLES.map((role) => {
      const version = stored.get(role)!.version;
      return { role, version, token: this.token(sessionId, role, version) };
    });
  }

  /** The role a presented token opens on the session, or null. Compares hashes in constant time. */
  async verify(sessionId: string, token: string): Promise<{ role: Role; version: number } | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const presented = Buffer.from(hashToken(token), 'hex');
    const stored = await this.ensure(sessionId);
    let match: { role: Role; version: number } | null = null;
    // Check every role, not just until a match, so the time taken says nothing about which one matched.
    for (const link of stored.values()) {
      const expected = Buffer.from(link.tokenHash, 'hex');
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) match = { role: link.role, version: link.version };
    }
    return match;
  }

  /** Replaces a role's link with a new one (the next version); the old token stops working at once. */
  async rotate(sessionId: string, role: Role): Promise<CurrentLink> {
    const stored = await this.ensure(sessionId);
    const version = stored.get(role)!.version + 1;
    const token = this.token(sessionId, role, version);
    await this.store.setLink({ sessionId, role, version, tokenHash: hashToken(token) });
    this.rotated.set(`${sessionId}:${role}`, version);
    return { role, version, token };
  }

  /** Whether a token verified at `version` has been replaced in this process since. */
  isStale(sessionId: string, role: Role, version: number): boolean {
    return (this.rotated.get(`${sessionId}:${role}`) ?? 0) > version;
  }

  private async ensure(sessionId: string): Promise<Map<Role, StoredLink>> {
    const byRole = new Map<Role, StoredLink>();
    for (const link of await this.store.getLinks(sessionId)) byRole.set(link.role, link);
    for (const role of ROLES) {
      if (byRole.has(role)) continue;
      // Sessions made before links existed get theirs on first use.
      const link: StoredLink = { sessionId, role, version: 1, tokenHash: hashToken(this.token(sessionId, role, 1)) };
      await this.store.setLink(link);
      byRole.set(role, link);
    }
    return byRole;
  }
}
