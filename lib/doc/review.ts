import * as Y from 'yjs';
import { LOCAL_ORIGIN, transact } from './commentary';

/**
 * The review-session state kept in the commentary document next to the
 * comments (lib/doc/commentary.ts owns the other keys):
 *
 *   review   Y.Map {
 *     lead:   { userId, name } | absent   who marks the turn under discussion
 *     focus:  { turnId, at } | absent     the turn being discussed now
 *     timer:  { sectionId, startedAt, seconds } | absent   a timed discussion
 *     scale:  string[] | absent           the verdict scale (default below)
 *   }
 *
 * Each field is a plain value replaced whole: the last writer wins, which is
 * what "the lead moved the focus" means.
 */

const REVIEW = 'review';

export const DEFAULT_VERDICT_SCALE = ['new position', 'consistent', 'evasive', 'newsworthy', 'needs checking'] as const;

export interface Lead {
  userId: string;
  name: string;
}

export interface Focus {
  turnId: string;
  at: number;
}

export interface DiscussionTimer {
  sectionId: string;
  startedAt: number;
  seconds: number;
}

export interface ReviewState {
  lead: Lead | null;
  focus: Focus | null;
  timer: DiscussionTimer | null;
  scale: string[];
}

function reviewMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(REVIEW);
}

function isLead(v: unknown): v is Lead {
  return !!v && typeof (v as Lead).userId === 'string' && typeof (v as Lead).name === 'string';
}

/** The review state, with defaults for what nobody has set. Values from peers are checked. */
export function readReview(doc: Y.Doc): ReviewState {
  const m = reviewMap(doc);
  const lead = m.get('lead');
  const focus = m.get('focus') as Focus | undefined;
  const timer = m.get('timer') as DiscussionTimer | undefined;
  const scale = m.get('scale');
  return {
    lead: isLead(lead) ? lead : null,
    focus: focus && typeof focus.turnId === 'string' ? { turnId: focus.turnId, at: Number(focus.at) || 0 } : null,
    timer:
      timer && typeof timer.sectionId === 'string' && Number(timer.seconds) > 0
        ? { sectionId: timer.sectionId, startedAt: Number(timer.startedAt) || 0, seconds: Number(timer.seconds) }
        : null,
    scale:
      Array.isArray(scale) && scale.every((s) => typeof s === 'string') && scale.length > 0
        ? (scale as string[])
        : [...DEFAULT_VERDICT_SCALE],
  };
}

/** Makes `lead` the session's lead (the owner hands the lead over, or takes it). */
export function setLead(doc: Y.Doc, lead: Lead | null, origin: unknown = LOCAL_ORIGIN): void {
  transact(doc, () => (lead ? reviewMap(doc).set('lead', lead) : reviewMap(doc).delete('lead')), origin);
}

/** Marks the turn under discussion now. */
export function setFocus(doc: Y.Doc, turnId: string | null, origin: unknown = LOCAL_ORIGIN): void {
  transact(doc, () => (turnId ? reviewMap(doc).set('focus', { turnId, at: Date.now() }) : reviewMap(doc).delete('focus')), origin);
}

/** Starts (or, with null, stops) a timed discussion of a section. */
export function setTimer(doc: Y.Doc, timer: { sectionId: string; seconds: number } | null, origin: unknown = LOCAL_ORIGIN): void {
  transact(
    doc,
    () => (timer ? reviewMap(doc).set('timer', { ...timer, startedAt: Date.now() }) : reviewMap(doc).delete('timer')),
    origin,
  );
}

/** Replaces the verdict scale: trimmed, de-duplicated, at most 12 values of 40 characters. */
export function setVerdictScale(doc: Y.Doc, values: readonly string[], origin: unknown = LOCAL_ORIGIN): string[] {
  const seen = new Set<string>();
  const clean: string[] = [];
  for (const v of values) {
    const t = v.replace(/\s+/g, ' ').trim().slice(0, 40);
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      clean.push(t);
    }
  }
  if (!clean.length) throw new Error('The verdict scale needs at least one value.');
  if (clean.length > 12) throw new Error('The verdict scale can have at most 12 values.');
  transact(doc, () => reviewMap(doc).set('scale', clean), origin);
  return clean;
}

/** Calls `fn` after every change to the review state; returns the unsubscribe function. */
export function observeReview(doc: Y.Doc, fn: () => void): () => void {
  const m = reviewMap(doc);
  const handler = () => fn();
  m.observe(handler);
  return () => m.unobserve(handler);
}
