/**
 * Author colours. Derived from the Okabe–Ito palette (distinguishable with the
 * common colour-vision deficiencies) and darkened until white text on each, and
 * each on white, passes WCAG AA (4.5:1). The order spreads similar hues apart so
 * the first analysts in a room get the most distinct colours.
 */
export const AUTHOR_COLORS = [
  '#0072B2', // blue
  '#B34700', // vermilion
  '#007A5A', // bluish green
  '#A3407D', // reddish purple
  '#8A6D00', // ochre
  '#5B4FB0', // violet
  '#A12A2A', // brick
  '#44677A', // slate
] as const;

/** A stable colour for a user id, so one analyst keeps one colour across sessions. */
export function colorForUser(userId: string): string {
  let h = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return AUTHOR_COLORS[(h >>> 0) % AUTHOR_COLORS.length];
}

/** True for a colour this app hands out; anything else from a peer is replaced. */
export function isAuthorColor(value: unknown): value is string {
  return typeof value === 'string' && (AUTHOR_COLORS as readonly string[]).includes(value);
}

/** Up to two initials for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  const first = [...words[0]][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]][0] ?? '') : '';
  return (first + last).toUpperCase();
}
