/** A highlight laid over a turn's text: [start, end) in UTF-16 offsets of `Turn.text`. */
export interface Span {
  id: string;
  start: number;
  end: number;
  color: string;
}

/** A run of text with the highlights that cover all of it (innermost last). */
export interface Segment {
  start: number;
  end: number;
  text: string;
  spans: Span[];
}

/**
 * Cuts one paragraph (starting at `base` in the turn's text) into runs at every
 * highlight boundary, so overlapping highlights render as nested depth rather
 * than broken markup.
 */
export function segmentParagraph(paragraph: string, base: number, spans: readonly Span[]): Segment[] {
  const end = base + paragraph.length;
  const inside = spans.filter((s) => s.start < end && s.end > base);
  if (!inside.length) return [{ start: base, end, text: paragraph, spans: [] }];
  const cuts = new Set<number>([base, end]);
  for (const s of inside) {
    cuts.add(Math.max(base, s.start));
    cuts.add(Math.min(end, s.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    const covering = inside
      .filter((s) => s.start <= a && s.end >= b)
      // Longer highlights first, so the shortest (most specific) one is on top.
      .sort((x, y) => y.end - y.start - (x.end - x.start));
    out.push({ start: a, end: b, text: paragraph.slice(a - base, b - base), spans: covering });
  }
  return out;
}

/** Start offset of each paragraph inside `Turn.text` (paragraphs joined by `\n\n`). */
export function paragraphOffsets(paragraphs: readonly string[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const p of paragraphs) {
    out.push(at);
    at += p.length + 2;
  }
  return out;
}
