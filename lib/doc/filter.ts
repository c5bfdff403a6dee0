import type { Comment, Thread, Verdict } from './commentary';

/** What the commentary pane shows; null fields do not filter. */
export interface ThreadFilter {
  status: 'all' | 'open' | 'resolved';
  authorId: string | null;
  tag: string | null;
  sectionId: string | null;
  /** Threads on answers that got this verdict from anyone. */
  verdict: string | null;
  /** Threads with a comment or reply from someone else after this time. */
  newSince: number | null;
  /** Threads that mention this analyst. */
  mentioning: { id: string; name: string } | null;
}

export const NO_FILTER: ThreadFilter = {
  status: 'all',
  authorId: null,
  tag: null,
  sectionId: null,
  verdict: null,
  newSince: null,
  mentioning: null,
};

/** True when any field beyond status narrows the list. */
export function isNarrowed(f: ThreadFilter): boolean {
  return !!(f.authorId || f.tag || f.sectionId || f.verdict || f.newSince || f.mentioning);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when `body` mentions the analyst: `@Full Name`, `@First`, or the name
 * without spaces (`@AnaRuiz`), case-insensitively, not inside a word or an
 * e-mail address.
 */
export function mentions(body: string, name: string): boolean {
  const full = name.trim();
  if (!full || !body.includes('@')) return false;
  const first = full.split(/\s+/)[0];
  const forms = [...new Set([full, first, full.replace(/\s+/g, '')])].map(escapeRegExp);
  const re = new RegExp(`(^|[^\\p{L}\\p{N}_.])@(?:${forms.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
  return re.test(body);
}

/** Splits a comment body into text and `@mention` runs, for display. */
export function splitMentions(body: string, names: readonly string[]): { text: string; mention: boolean }[] {
  if (!body.includes('@') || !names.length) return [{ text: body, mention: false }];
  const forms = [...new Set(names.flatMap((n) => [n.trim(), n.trim().split(/\s+/)[0]]).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const re = new RegExp(`(^|[^\\p{L}\\p{N}_.])(@(?:${forms.join('|')}))(?![\\p{L}\\p{N}_])`, 'giu');
  const out: { text: string; mention: boolean }[] = [];
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const at = m.index + m[1].length;
    if (at > last) out.push({ text: body.slice(last, at), mention: false });
    out.push({ text: m[2], mention: true });
    last = at + m[2].length;
  }
  if (last < body.length) out.push({ text: body.slice(last), mention: false });
  return out;
}

/** Applies a filter to threads (their order is kept). */
export function filterThreads(
  threads: readonly Thread[],
  f: ThreadFilter,
  ctx: { sectionOfTurn: (turnId: string) => string | null; verdicts: readonly Verdict[]; meId?: string | null },
): Thread[] {
  const verdictTurns = f.verdict ? new Set(ctx.verdicts.filter((v) => v.value === f.verdict).map((v) => v.turnId)) : null;
  const all = (t: Thread): Comment[] => [t.root, ...t.replies];
  return threads.filter((t) => {
    if (f.status !== 'all' && t.root.status !== f.status) return false;
    if (f.authorId && !all(t).some((c) => c.author.id === f.authorId)) return false;
    if (f.tag && !all(t).some((c) => c.tags.some((x) => x.toLowerCase() === f.tag!.toLowerCase()))) return false;
    if (f.sectionId && ctx.sectionOfTurn(t.root.turnId) !== f.sectionId) return false;
    if (verdictTurns && !verdictTurns.has(t.root.turnId)) return false;
    if (f.newSince !== null && !all(t).some((c) => c.createdAt > f.newSince! && c.author.id !== ctx.meId)) return false;
    if (f.mentioning && !all(t).some((c) => c.author.id !== f.mentioning!.id && mentions(c.body, f.mentioning!.name))) return false;
    return true;
  });
}
