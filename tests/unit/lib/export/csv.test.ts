import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCodePointOffset } from '../../../../lib/anchor/passage';
import { CSV_COLUMNS, csvField, neutraliseFormula, sessionToCsv, toCsv } from '../../../../lib/export/csv';
import { ANA, FORMULA_BODY, JOSE, JOSE_BODY, REPLY_BODY, seedSession } from './session-fixture';

describe('CSV export', () => {
  const { input, ids, transcript } = seedSession();
  const csv = sessionToCsv(input);
  const rows: Record<string, string>[] = parse(csv, { bom: true, columns: true, record_delimiter: '\r\n' });
  const byId = new Map(rows.map((r) => [r.id, r]));

  it('is RFC 4180 text with a header row and CRLF line ends', () => {
    expect(csv.startsWith('\uFEFFid,parent_id,exchange,turn,speaker,quote,start,end,author,created,updated,status,tags,body,verdict\r\n')).toBe(
      true,
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    // Every line break outside a quoted field is CRLF.
    const outside = csv.replace(/"(?:[^"]|"")*"/g, '');
    expect(outside).not.toMatch(/[^\r]\n/);
    expect(Object.keys(rows[0])).toEqual([...CSV_COLUMNS]);
  });

  it('has one row per comment, reply and highlight', () => {
    expect(rows).toHaveLength(input.comments.length);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(input.comments.map((c) => c.id)));
  });

  it('fills every column with the right value', () => {
    const t3 = transcript.turns.find((t) => t.id === 't3')!;
    const ana = input.comments.find((c) => c.id === ids.ana)!;
    expect(byId.get(ids.ana)).toEqual({
      id: ids.ana,
      parent_id: '',
      exchange: '1',
      turn: 't3',
      speaker: 'Secretary-General',
      quote: 'human rights architecture is a key tool',
      start: String(toCodePointOffset(t3.text, ana.target!.start)),
      end: String(toCodePointOffset(t3.text, ana.target!.end)),
      author: ANA.name,
      created: '2018-06-21T10:00:00.000Z',
      updated: '2018-06-21T10:00:00.000Z',
      status: 'open',
      tags: 'human rights; US',
      body: 'A defence of the Council without criticising the US.',
      verdict: 'consistent',
    });
    expect(byId.get(ids.jose)).toMatchObject({ author: JOSE.name, body: JOSE_BODY, tags: 'reform', exchange: '2', verdict: 'new position' });
    expect(byId.get(ids.reply)).toMatchObject({ parent_id: ids.ana, quote: '', start: '', end: '', body: REPLY_BODY, verdict: 'evasive' });
    expect(byId.get(ids.joseReply)!.body).toBe('Line one,\nline two, with a "quoted" word.');
    expect(byId.get(ids.highlight)).toMatchObject({ body: '', quote: 'attribution mechanism', tags: 'chemical weapons', exchange: '3' });
    // A whole-turn comment on the opening statement: no exchange, no passage; resolved.
    expect(byId.get(ids.opening)).toMatchObject({ exchange: '', quote: '', start: '', status: 'resolved', verdict: '' });
  });

  it('neutralises a comment that a spreadsheet would run as a formula', () => {
    expect(byId.get(ids.opening)!.body).toBe(`'${FORMULA_BODY}`);
  });

  it('counts offsets in code points', () => {
    const t = { ...transcript, turns: transcript.turns.map((x) => (x.id === 't3' ? { ...x, text: `😀 ${x.text}` } : x)) };
    const ana = input.comments.find((c) => c.id === ids.ana)!;
    // The passage moves two UTF-16 units (one emoji + space = 3 units, 2 code points) to the right.
    const shifted = { ...ana, target: { ...ana.target!, start: ana.target!.start + 3, end: ana.target!.end + 3 } };
    const out: Record<string, string>[] = parse(sessionToCsv({ ...input, transcript: t, comments: [shifted] }), { bom: true, columns: true });
    expect(Number(out[0].start)).toBe(ana.target!.start + 2);
    expect(Number(out[0].end) - Number(out[0].start)).toBe('human rights architecture is a key tool'.length);
  });
});

describe('CSV quoting', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\ronly')).toBe('"cr\ronly"');
    expect(csvField('')).toBe('');
  });

  it('prefixes an apostrophe to fields a spreadsheet would evaluate', () => {
    for (const f of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(f)).toBe(`'${f}`);
    for (const f of ['1-1', 'a=b', "'already", '']) expect(neutraliseFormula(f)).toBe(f);
  });

  it('round-trips awkward fields through a real CSV parser', () => {
    const fields = ['comma, inside', 'quote " inside', 'both ",\r\n', 'trailing space ', ' leading', 'ünïcödé “quotes” — dash', '😀'];
    const text = toCsv([fields]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text, { relax_column_count: false })).toEqual([fields]);
  });

  it('leaves the formula guard visible to a parser, as documented', () => {
    expect(parse(toCsv([['=cmd|calc', '-2']]))).toEqual([["'=cmd|calc", "'-2"]]);
  });
});
