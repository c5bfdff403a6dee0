import type { PassageTarget } from '../doc/commentary';

/** How many characters of context a quote keeps on each side. */
export const QUOTE_CONTEXT = 32;

/** Builds a passage target for `text.slice(start, end)` with prefix and suffix context. */
export function makePassage(text: string, start: number, end: number): PassageTarget {
  if (!(start >= 0 && end <= text.length && start < end)) {
    throw new RangeError(`A passage must lie inside the turn (got ${start}–${end} of ${text.length}).`);
  }
  return {
    start,
    end,
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - QUOTE_CONTEXT), start),
    suffix: text.slice(end, end + QUOTE_CONTEXT),
  };
}

/**
 * Trims white space off both ends of a selected range, so a double-click that
 * grabbed a trailing space or a drag across a paragraph break anchors on words.
 */
export function trimRange(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = Math.max(0, start);
  let e = Math.min(text.length, end);
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return s < e ? { start: s, end: e } : null;
}

/**
 * Finds where a passage lies in the text: at its recorded offsets when the
 * words still match there, else at the occurrence of `exact` whose context
 * matches best. Returns null when the words are nowhere in the text.
 */
export function locatePassage(text: string, target: PassageTarget): { start: number; end: number } | null {
  if (text.slice(target.start, target.end) === target.exact) return { start: target.start, end: target.end };
  if (!target.exact) return null;
  let best: { start: number; score: number } | null = null;
  for (let i = text.indexOf(target.exact); i !== -1; i = text.indexOf(target.exact, i + 1)) {
    const before = text.slice(Math.max(0, i - target.prefix.length), i);
    const after = text.slice(i + target.exact.length, i + target.exact.length + target.suffix.length);
    const score =
      commonSuffix(before, target.prefix) + commonPrefix(after, target.suffix) - Math.abs(i - target.start) / 1e6;
    if (!best || score > best.score) best = { start: i, score };
  }
  return best ? { start: best.start, end: best.start + target.exact.length } : null;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Converts a UTF-16 offset into a count of Unicode code points, as W3C selectors count. */
export function toCodePointOffset(text: string, utf16Offset: number): number {
  let count = 0;
  for (let i = 0; i < utf16Offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The first `n` sentences of a text, for summaries; never cuts inside a sentence unless it is huge. */
export function firstSentences(text: string, n = 2, maxChars = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  const re = /[.!?…]+["'”’)\]]*(?=\s|$)/g;
  let end = flat.length;
  let count = 0;
  for (let m = re.exec(flat); m; m = re.exec(flat)) {
    count++;
    if (count === n) {
      end = m.index + m[0].length;
      break;
    }
  }
  const out = flat.slice(0, end);
  if (out.length <= maxChars) return out;
  const cut = out.lastIndexOf(' ', maxChars);
  return `${out.slice(0, cut > 0 ? cut : maxChars)}…`;
}
