import { describe, expect, it } from 'vitest';
import { searchTranscript } from '../../../../lib/transcript/search';
import type { Transcript } from '../../../../lib/transcript/types';

const turn = (id: string, text: string) => ({ id, index: 0, speaker: 'A', kind: 'answer' as const, text, paragraphs: text.split('\n\n'), note: null, start: null });
const t: Transcript = {
  title: 'x',
  date: null,
  place: null,
  speakers: [],
  exchanges: [],
  turns: [turn('t1', 'Reform of the Secretariat.\n\nThe REFORM matters.'), turn('t2', 'José said reform again; café.')],
};

describe('transcript search', () => {
  it('finds every match in reading order, ignoring case', () => {
    expect(searchTranscript(t, 'reform')).toEqual([
      { turnId: 't1', start: 0, end: 6 },
      { turnId: 't1', start: 32, end: 38 },
      { turnId: 't2', start: 10, end: 16 },
    ]);
    expect(searchTranscript(t, 'the secretariat')).toEqual([{ turnId: 't1', start: 10, end: 25 }]);
  });

  it('ignores accents without shifting offsets', () => {
    const [hit] = searchTranscript(t, 'jose');
    expect(t.turns[1].text.slice(hit.start, hit.end)).toBe('José');
    const [cafe] = searchTranscript(t, 'cafe');
    expect(t.turns[1].text.slice(cafe.start, cafe.end)).toBe('café');
  });

  it('returns nothing for a query under two characters and caps the number of hits', () => {
    expect(searchTranscript(t, 'r')).toEqual([]);
    expect(searchTranscript(t, 'e', 10)).toEqual([]);
    expect(searchTranscript(t, 're', 2)).toHaveLength(2);
  });
});
