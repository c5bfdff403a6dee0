/**
 * The roles a capability link can carry, and what each may do. Shared by the
 * server (which enforces them) and the UI (which only reflects them), so keep
 * this file free of Node imports.
 */

/** A capability link's role, from most to least powerful. */
export type Role = 'owner' | 'editor' | 'commenter' | 'viewer';

/** Every role, most powerful first (the order the share dialog lists them in). */
export const ROLES: readonly Role[] = ['owner', 'editor', 'commenter', 'viewer'] as const;

/** Short names for the share dialog and presence badges. */
export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  editor: 'Editor',
  commenter: 'Commenter',
  viewer: 'Viewer',
};

/** One sentence per role saying what its link lets someone do. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Can do everything, including seeing and replacing the links to this session.',
  editor: 'Can comment, reply, give verdicts and edit the brief.',
  commenter: 'Can comment, reply and give verdicts, and read the brief.',
  viewer: 'Can read the transcript, the commentary and the brief, but change nothing.',
};

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether the role may add comments, replies, reactions and verdicts (the commentary document). */
export function canWriteCommentary(role: Role): boolean {
  return role !== 'viewer';
}

/** Whether the role may edit the shared brief (the `<sessionId>.brief` document). */
export function canWriteBrief(role: Role): boolean {
  return role === 'owner' || role === 'editor';
}

/** Whether the role may see and replace the session's links. */
export function canManageLinks(role: Role): boolean {
  return role === 'owner';
}
