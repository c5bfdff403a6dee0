import { describe, expect, it } from 'vitest';
import { firstSentences, locatePassage, makePassage, toCodePointOffset, trimRange } from '../../../../lib/anchor/passage';
import { paragraphOffsets, segmentParagraph } from '../../../../lib/anchor/segments';

const text = 'We need to distinguish the bodies of the UN.\n\nThe reform is of the Secretariat. The reform matters.';

describe('passages', () => {
  it('makes a quote with its context', () => {
    const start = text.indexOf('distinguish');
    const p = makePassage(text, start, start + 'distinguish'.length);
    expect(p.exact).toBe('distinguish');
    expect(p.prefix).toBe('We need to ');
    expect(p.suffix.startsWith(' the bodies')).toBe(true);
  });

  it('refuses a range outside the text', () => {
    expect(() => makePassage(text, 5, 5)).toThrow(RangeError);
    expect(() => makePassage(text, -1, 3)).toThrow(RangeError);
    expect(() => makePassage(text, 0, text.length + 1)).toThrow(RangeError);
  });

  it('trims white space off a selection and rejects one that is only space', () => {
    const s = text.indexOf('\n\n');
    expect(trimRange(text, s - 4, s + 2)).toEqual({ start: s - 3, end: s });
    expect(trimRange(text, s, s + 2)).toBeNull();
  });

  it('finds a passage at its offsets, or by its quote and context when they moved', () => {
    const second = text.lastIndexOf('The reform');
    const p = makePassage(text, second, second + 10);
    expect(locatePassage(text, p)).toEqual({ start: second, end: second + 10 });
    const shifted = 'Preface. ' + text;
    expect(locatePassage(shifted, p)).toEqual({ start: second + 9, end: second + 19 });
    expect(locatePassage('nothing alike', p)).toBeNull();
  });

  it('counts code points, not UTF-16 units, as W3C selectors do', () => {
    const s = 'a😀b';
    expect(toCodePointOffset(s, 0)).toBe(0);
    expect(toCodePointOffset(s, 3)).toBe(2);
    expect(toCodePointOffset(s, 4)).toBe(3);
  });

  it('takes the first sentences of a text', () => {
    expect(firstSentences('One. Two! Three? Four.', 2)).toBe('One. Two!');
    expect(firstSentences('No end in sight', 2)).toBe('No end in sight');
    expect(firstSentences('“Quoted.” Next one. Third.', 1)).toBe('“Quoted.”');
  });
});

describe('segments', () => {
  it('computes paragraph offsets with the blank-line separator', () => {
    expect(paragraphOffsets(['abc', 'de', 'f'])).toEqual([0, 5, 9]);
  });

  it('cuts a paragraph at highlight boundaries and nests overlaps', () => {
    const segs = segmentParagraph('abcdefghij', 10, [
      { id: 'x', start: 12, end: 16, color: 'red' },
      { id: 'y', start: 14, end: 25, color: 'blue' },
    ]);
    expect(segs.map((s) => [s.text, s.spans.map((x) => x.id)])).toEqual([
      ['ab', []],
      ['cd', ['x']],
      ['ef', ['y', 'x']],
      ['ghij', ['y']],
    ]);
  });

  it('leaves a paragraph without highlights whole', () => {
    expect(segmentParagraph('plain', 0, [{ id: 'x', start: 10, end: 12, color: 'red' }])).toEqual([
      { start: 0, end: 5, text: 'plain', spans: [] },
    ]);
  });
});
