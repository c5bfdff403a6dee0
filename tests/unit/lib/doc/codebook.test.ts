import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, getComment } from '../../../../lib/doc/commentary';
import { addCode, codeColor, listCodes, mergeCodes, renameCode, setCodeRetired } from '../../../../lib/doc/codebook';

const ana = { id: 'ana', name: 'Ana', color: '#0072B2' };

describe('codebook', () => {
  it('adds codes with distinct colours, one entry per name whatever its case', () => {
    const doc = new Y.Doc();
    const a = addCode(doc, { name: '#Reform', description: 'Structural reform' });
    const b = addCode(doc, { name: 'evasion' });
    addCode(doc, { name: 'reform', description: 'Reform of the Secretariat' });
    const codes = listCodes(doc);
    expect(codes.map((c) => c.name)).toEqual(['evasion', 'reform']);
    expect(a.color).not.toBe(b.color);
    expect(() => addCode(doc, { name: '  # ' })).toThrow(/needs a name/);
  });

  it('renames a code and the tag on every comment, and refuses a name in use', () => {
    const doc = new Y.Doc();
    addCode(doc, { name: 'reform' });
    addCode(doc, { name: 'syria' });
    const id = addComment(doc, { turnId: 't1', body: 'x', tags: ['Reform', 'other'], author: ana });
    renameCode(doc, 'reform', 'UN reform');
    expect(getComment(doc, id)?.tags).toEqual(['UN reform', 'other']);
    expect(listCodes(doc).map((c) => c.name)).toEqual(['syria', 'UN reform']);
    expect(() => renameCode(doc, 'syria', 'un reform')).toThrow(/merge/);
  });

  it('merges one code into another without duplicating tags', () => {
    const doc = new Y.Doc();
    addCode(doc, { name: 'dodge' });
    addCode(doc, { name: 'evasion' });
    const both = addComment(doc, { turnId: 't1', body: 'x', tags: ['dodge', 'evasion'], author: ana });
    const one = addComment(doc, { turnId: 't1', body: 'y', tags: ['dodge'], author: ana });
    mergeCodes(doc, 'dodge', 'evasion');
    expect(getComment(doc, both)?.tags).toEqual(['evasion']);
    expect(getComment(doc, one)?.tags).toEqual(['evasion']);
    expect(listCodes(doc).map((c) => c.name)).toEqual(['evasion']);
  });

  it('retires and restores a code, and colours by the first coded tag', () => {
    const doc = new Y.Doc();
    const c = addCode(doc, { name: 'newsworthy' });
    setCodeRetired(doc, 'newsworthy', true);
    expect(listCodes(doc)[0].retired).toBe(true);
    setCodeRetired(doc, 'Newsworthy', false);
    expect(listCodes(doc)[0].retired).toBe(false);
    expect(codeColor(listCodes(doc), ['uncoded', 'NEWSWORTHY'])).toBe(c.color);
    expect(codeColor(listCodes(doc), ['uncoded'])).toBeNull();
  });
});
