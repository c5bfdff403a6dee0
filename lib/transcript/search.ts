import type { Transcript } from './types';

/** One match of a search in a turn's text (UTF-16 offsets into `Turn.text`). */
export interface SearchHit {
  turnId: string;
  start: number;
  end: number;
}

/** Folds case and accents so "jose" finds "José" and "reform" finds "Reform"; keeps string length unchanged. */
function fold(s: string): string {
  // NFD splits accents off, which changes length; fold per character to keep offsets valid.
  let out = '';
  for (const ch of s) {
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    out += base.length === ch.length ? base : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
  }
  return out;
}

/**
 * Every occurrence of `query` in the transcript's spoken text, in reading order,
 * ignoring case and accents. At most `limit` hits, so a one-letter query on a
 * long hearing stays cheap.
 */
export function searchTranscript(t: Transcript, query: string, limit = 2000): SearchHit[] {
  const q = fold(query.replace(/\s+/g, ' ').trim());
  if (q.length < 2) return [];
  const hits: SearchHit[] = [];
  for (const turn of t.turns) {
    // Each white-space character becomes one space, so offsets stay those of the turn's text.
    const text = fold(turn.text.replace(/\s/g, ' '));
    for (let i = text.indexOf(q); i !== -1; i = text.indexOf(q, i + q.length)) {
      hits.push({ turnId: turn.id, start: i, end: i + q.length });
      if (hits.length >= limit) return hits;
    }
  }
  return hits;
}
