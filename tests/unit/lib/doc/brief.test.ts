import { getSchema, Node } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BRIEF_FIELD,
  BRIEF_SCHEMA_VERSION,
  BriefSchemaVersionError,
  briefRoom,
  ensureBriefSchema,
  quoteStillMatches,
  readBrief,
  safeHref,
  writeBriefBlocks,
  type BriefBlock,
  type QuoteBlock,
} from '../../../../lib/doc/brief';
import { sampleTranscript, seedSession } from '../export/session-fixture';

/** The same node the brief editor registers; only its name and attributes matter to the document. */
const PassageQuote = Node.create({
  name: 'passageQuote',
  group: 'block',
  atom: true,
  addAttributes() {
    return {
      turnId: { default: null },
      start: { default: null },
      end: { default: null },
      exact: { default: '' },
      speaker: { default: '' },
      exchange: { default: null },
      commentId: { default: null },
      sessionId: { default: null },
    };
  },
});

const schema = getSchema([StarterKit, PassageQuote]);

describe('the brief document', () => {
  it('names its room, field and schema version', () => {
    expect(briefRoom('s_123')).toBe('s_123.brief');
    expect(BRIEF_FIELD).toBe('brief');
    const doc = new Y.Doc();
    ensureBriefSchema(doc);
    expect(doc.getMap('meta').get('schemaVersion')).toBe(BRIEF_SCHEMA_VERSION);
    doc.getMap('meta').set('schemaVersion', 99);
    expect(() => ensureBriefSchema(doc)).toThrow(BriefSchemaVersionError);
  });

  it('reads back every block it writes', () => {
    const { briefDoc, brief } = seedSession();
    expect(readBrief(briefDoc)).toEqual(brief);
  });

  it('appends at the end by default and inserts at the start when asked', () => {
    const doc = new Y.Doc();
    writeBriefBlocks(doc, [{ type: 'paragraph', content: [{ text: 'one' }] }]);
    writeBriefBlocks(doc, [{ type: 'paragraph', content: [{ text: 'two' }] }]);
    writeBriefBlocks(doc, [{ type: 'paragraph', content: [{ text: 'zero' }] }], { at: 'start' });
    expect(readBrief(doc).map((b) => (b.type === 'paragraph' ? b.content.map((r) => ('text' in r ? r.text : '')).join('') : ''))).toEqual([
      'zero',
      'one',
      'two',
    ]);
  });

  it('writes what Tiptap’s Collaboration extension can open: a valid ProseMirror document', () => {
    const { briefDoc, brief } = seedSession();
    const root = yXmlFragmentToProseMirrorRootNode(briefDoc.getXmlFragment(BRIEF_FIELD), schema);
    // check() throws on content the schema does not allow; y-tiptap would delete such nodes.
    expect(() => root.check()).not.toThrow();
    expect(root.childCount).toBe(brief.length);
    const json = root.toJSON();
    expect(json.content[0]).toEqual({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Key findings' }] });
    const para = json.content[1].content;
    expect(para[1]).toEqual({ type: 'text', text: 'careful', marks: [{ type: 'bold' }] });
    expect(para[5].marks[0].type).toBe('link');
    expect(para[5].marks[0].attrs.href).toBe('https://www.un.org/sg/en/content/sg/press-encounter/2018-06-21');
    const quote = json.content.find((n: { type: string }) => n.type === 'passageQuote');
    expect(quote.attrs).toMatchObject({ turnId: 't5', speaker: 'Secretary-General', exchange: 2, sessionId: 's_demo' });
    const notes = json.content.find((n: { type: string; content?: { type: string }[] }) => n.content?.some((c) => c.type === 'hardBreak'));
    expect(notes.content.map((c: { type: string }) => c.type)).toEqual(['text', 'hardBreak', 'text']);
  });

  it('reads what Tiptap writes, marks and all', () => {
    const doc = new Y.Doc();
    prosemirrorJSONToYXmlFragment(
      schema,
      {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Summary' }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'bold', marks: [{ type: 'bold' }] },
              { type: 'text', text: ' and ' },
              { type: 'text', text: 'both', marks: [{ type: 'bold' }, { type: 'italic' }] },
              { type: 'hardBreak' },
              { type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://example.org/a' } }] },
              { type: 'text', text: 'gone', marks: [{ type: 'strike' }] },
              { type: 'text', text: 'x()', marks: [{ type: 'code' }] },
            ],
          },
          {
            type: 'orderedList',
            attrs: { start: 1 },
            content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'first' }] }] }],
          },
          { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'quoted' }] }] },
          { type: 'codeBlock', content: [{ type: 'text', text: 'a = 1' }] },
          { type: 'horizontalRule' },
          { type: 'passageQuote', attrs: { turnId: 't3', start: 4, end: 9, exact: 'as I ', speaker: 'SG', exchange: 1 } },
          { type: 'paragraph' },
        ],
      },
      doc.getXmlFragment(BRIEF_FIELD),
    );
    expect(readBrief(doc)).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Summary' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'bold', bold: true },
          { text: ' and ' },
          { text: 'both', bold: true, italic: true },
          { break: true },
          { text: 'link', href: 'https://example.org/a' },
          { text: 'gone', strike: true },
          { text: 'x()', code: true },
        ],
      },
      { type: 'list', ordered: true, items: [[{ type: 'paragraph', content: [{ text: 'first' }] }]] },
      { type: 'blockquote', blocks: [{ type: 'paragraph', content: [{ text: 'quoted' }] }] },
      { type: 'code', text: 'a = 1' },
      { type: 'rule' },
      { type: 'quote', turnId: 't3', start: 4, end: 9, exact: 'as I ', speaker: 'SG', exchange: 1, commentId: null },
      { type: 'paragraph', content: [] },
    ]);
  });

  it('repairs what the schema would reject rather than let the editor delete it', () => {
    const doc = new Y.Doc();
    const blocks: BriefBlock[] = [
      { type: 'blockquote', blocks: [] },
      { type: 'list', ordered: false, items: [[{ type: 'quote', turnId: 't3', start: 0, end: 4, exact: 'Well', speaker: 'SG', exchange: 1, commentId: null }], []] },
      { type: 'list', ordered: true, items: [] },
      { type: 'paragraph', content: [{ text: 'a\nb', bold: true, code: true }] },
    ];
    writeBriefBlocks(doc, blocks);
    const root = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(BRIEF_FIELD), schema);
    expect(() => root.check()).not.toThrow();
    // The empty list is dropped; the code run keeps only `code` (it excludes other marks) and its newline becomes a break.
    expect(root.childCount).toBe(3);
    expect(readBrief(doc)[2]).toEqual({ type: 'paragraph', content: [{ text: 'a', code: true }, { break: true }, { text: 'b', code: true }] });
  });

  it('keeps the words of nodes it does not know, and drops unsafe links', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(BRIEF_FIELD);
    const table = new Y.XmlElement('table');
    const cell = new Y.XmlElement('tableCell');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Cell text')]);
    cell.insert(0, [p]);
    table.insert(0, [cell]);
    const para = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    para.insert(0, [text]);
    const mention = new Y.XmlElement('mention');
    mention.insert(0, [new Y.XmlText('@Ana')]);
    fragment.insert(0, [table, para, new Y.XmlElement('image')]);
    text.insert(0, 'click', { link: { href: 'javascript:alert(1)' } });
    para.insert(1, [mention]);
    expect(readBrief(doc)).toEqual([
      { type: 'paragraph', content: [{ text: 'Cell text' }] },
      { type: 'paragraph', content: [{ text: 'click' }, { text: '@Ana' }] },
    ]);
  });

  it('allows only web, mail and in-page links out of the document', () => {
    expect(safeHref('https://example.org/x?y=1')).toBe('https://example.org/x?y=1');
    expect(safeHref('mailto:ana@example.org')).toBe('mailto:ana@example.org');
    expect(safeHref('#turn-t3')).toBe('#turn-t3');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('https://x.org/"onmouseover="x')).toBeNull();
    expect(safeHref(undefined)).toBeNull();
  });

  it('tells whether a passage quote still matches its turn', () => {
    const transcript = sampleTranscript();
    const t5 = transcript.turns.find((t) => t.id === 't5')!;
    const start = t5.text.indexOf('the reform of the structure');
    const quote: QuoteBlock = {
      type: 'quote',
      turnId: 't5',
      start,
      end: start + 'the reform of the structure'.length,
      exact: 'the reform of the structure',
      speaker: 'Secretary-General',
      exchange: 2,
      commentId: null,
    };
    expect(quoteStillMatches(transcript, quote)).toBe(true);
    // Offsets off by a few characters: the words are still in that turn.
    expect(quoteStillMatches(transcript, { ...quote, start: start + 3, end: quote.end + 3 })).toBe(true);
    expect(quoteStillMatches(transcript, { ...quote, exact: 'words he never said' })).toBe(false);
    expect(quoteStillMatches(transcript, { ...quote, turnId: 't3' })).toBe(false);
    expect(quoteStillMatches(transcript, { ...quote, turnId: 't99' })).toBe(false);
  });
});
