import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addComment,
  addReply,
  COMMENTARY_SCHEMA_VERSION,
  deleteComment,
  editComment,
  ensureSchema,
  getComment,
  listComments,
  listVerdicts,
  LOCAL_ORIGIN,
  MissingCommentError,
  normaliseTags,
  observeCommentary,
  schemaVersion,
  SchemaVersionError,
  setResolved,
  setVerdict,
  threadsOf,
  verdictTally,
} from '../../../../lib/doc/commentary';

const ana = { id: 'u_ana', name: 'Ana Ruiz', color: '#0072B2' };
const ben = { id: 'u_ben', name: 'Ben Okafor', color: '#B34700' };
const passage = { start: 4, end: 12, exact: 'distinct', prefix: 'We ', suffix: ' views' };

/** Two docs wired together the way two browsers are through the server. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return [a, b];
}

describe('commentary document', () => {
  it('adds a comment on a passage and reads it back with every field', () => {
    const doc = new Y.Doc();
    const id = addComment(doc, { turnId: 't3', target: passage, body: '  Evasive here. ', tags: ['#evasion', 'Evasion', ' framing '], author: ana, at: 1000 });
    expect(getComment(doc, id)).toEqual({
      id,
      parentId: null,
      turnId: 't3',
      target: passage,
      motivation: 'commenting',
      body: 'Evasive here.',
      tags: ['evasion', 'framing'],
      author: ana,
      createdAt: 1000,
      updatedAt: 1000,
      status: 'open',
      resolvedBy: null,
    });
  });

  it('refuses an empty comment or reply and changes nothing', () => {
    const doc = new Y.Doc();
    expect(() => addComment(doc, { turnId: 't1', body: '   ', author: ana })).toThrow(/needs some text/);
    const id = addComment(doc, { turnId: 't1', body: 'x', author: ana });
    expect(() => addReply(doc, id, { body: '', author: ben })).toThrow(/needs some text/);
    expect(listComments(doc)).toHaveLength(1);
  });

  it('allows a highlight without a body', () => {
    const doc = new Y.Doc();
    const id = addComment(doc, { turnId: 't1', target: passage, motivation: 'highlighting', body: '', author: ana });
    expect(getComment(doc, id)?.motivation).toBe('highlighting');
    expect(id.startsWith('h_')).toBe(true);
  });

  it('keeps threads flat: a reply to a reply hangs off the root', () => {
    const doc = new Y.Doc();
    const root = addComment(doc, { turnId: 't5', body: 'Root', author: ana, at: 1 });
    const r1 = addReply(doc, root, { body: 'First reply', author: ben, at: 2 });
    const r2 = addReply(doc, r1, { body: 'Second reply', author: ana, at: 3 });
    expect(getComment(doc, r2)?.parentId).toBe(root);
    expect(getComment(doc, r2)?.turnId).toBe('t5');
    const [thread] = threadsOf(listComments(doc), new Map([['t5', 4]]));
    expect(thread.root.id).toBe(root);
    expect(thread.replies.map((r) => r.body)).toEqual(['First reply', 'Second reply']);
  });

  it('replying to a deleted comment fails with a clear error', () => {
    const doc = new Y.Doc();
    expect(() => addReply(doc, 'c_gone', { body: 'hello', author: ben })).toThrow(MissingCommentError);
  });

  it('orders threads by transcript position, then passage start, then time', () => {
    const doc = new Y.Doc();
    addComment(doc, { turnId: 't7', body: 'later turn', author: ana, at: 1 });
    addComment(doc, { turnId: 't3', target: { ...passage, start: 50, end: 60 }, body: 'second in t3', author: ana, at: 2 });
    addComment(doc, { turnId: 't3', body: 'whole t3', author: ben, at: 9 });
    addComment(doc, { turnId: 't3', target: passage, body: 'first passage in t3', author: ben, at: 3 });
    const order = new Map([
      ['t3', 2],
      ['t7', 6],
    ]);
    expect(threadsOf(listComments(doc), order).map((t) => t.root.body)).toEqual([
      'whole t3',
      'first passage in t3',
      'second in t3',
      'later turn',
    ]);
  });

  it('edits, resolves, reopens and deletes; deleting a root deletes its replies', () => {
    const doc = new Y.Doc();
    const root = addComment(doc, { turnId: 't3', body: 'Draft', author: ana });
    addReply(doc, root, { body: 'Reply', author: ben });
    const other = addComment(doc, { turnId: 't3', body: 'Other thread', author: ben });
    editComment(doc, root, { body: 'Final', tags: ['a', 'b'] });
    expect(getComment(doc, root)).toMatchObject({ body: 'Final', tags: ['a', 'b'] });
    setResolved(doc, root, true, ben.id);
    expect(getComment(doc, root)).toMatchObject({ status: 'resolved', resolvedBy: ben.id });
    setResolved(doc, root, false, ana.id);
    expect(getComment(doc, root)).toMatchObject({ status: 'open', resolvedBy: null });
    expect(() => editComment(doc, root, { body: ' ' })).toThrow(/needs some text/);
    deleteComment(doc, root);
    expect(listComments(doc).map((c) => c.id)).toEqual([other]);
  });

  it('merges concurrent edits of different fields of one comment', () => {
    const [a, b] = pair();
    const id = addComment(a, { turnId: 't3', body: 'Typo heer', author: ana });
    // Offline at the same time: Ana fixes the text while Ben resolves.
    const a2 = new Y.Doc();
    const b2 = new Y.Doc();
    Y.applyUpdate(a2, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(b2, Y.encodeStateAsUpdate(b));
    editComment(a2, id, { body: 'Typo here' });
    setResolved(b2, id, true, ben.id);
    Y.applyUpdate(a2, Y.encodeStateAsUpdate(b2));
    Y.applyUpdate(b2, Y.encodeStateAsUpdate(a2));
    for (const d of [a2, b2]) expect(getComment(d, id)).toMatchObject({ body: 'Typo here', status: 'resolved' });
  });

  it('syncs comments between two documents', () => {
    const [a, b] = pair();
    const id = addComment(a, { turnId: 't3', body: 'From A', author: ana });
    addReply(b, id, { body: 'From B', author: ben });
    expect(listComments(a).map((c) => c.body)).toEqual(['From A', 'From B']);
    expect(listComments(b)).toEqual(listComments(a));
  });

  it('skips malformed entries written by a bad client instead of failing', () => {
    const doc = new Y.Doc();
    addComment(doc, { turnId: 't1', body: 'Good', author: ana });
    doc.getMap('comments').set('junk', new Y.Map());
    doc.getMap('comments').set('junk2', 42 as never);
    expect(listComments(doc).map((c) => c.body)).toEqual(['Good']);
  });

  it('marks local changes with the local origin and notifies observers', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    const stop = observeCommentary(doc, (tx) => origins.push(tx.origin));
    addComment(doc, { turnId: 't1', body: 'x', author: ana });
    setVerdict(doc, { turnId: 't3', userId: ana.id, userName: ana.name, value: 'evasive' });
    stop();
    addComment(doc, { turnId: 't1', body: 'y', author: ana });
    expect(origins).toEqual([LOCAL_ORIGIN, LOCAL_ORIGIN]);
  });

  it('keeps one verdict per analyst and answer, tallies them, and withdraws with an empty value', () => {
    const doc = new Y.Doc();
    setVerdict(doc, { turnId: 't3', userId: ana.id, userName: ana.name, value: 'evasive', reason: 'dodges' });
    setVerdict(doc, { turnId: 't3', userId: ana.id, userName: ana.name, value: 'consistent' });
    setVerdict(doc, { turnId: 't3', userId: ben.id, userName: ben.name, value: 'consistent' });
    expect(verdictTally(listVerdicts(doc), 't3')).toEqual(new Map([['consistent', 2]]));
    setVerdict(doc, { turnId: 't3', userId: ben.id, userName: ben.name, value: '' });
    expect(listVerdicts(doc)).toHaveLength(1);
  });

  it('stamps the schema version and refuses a newer one', () => {
    const doc = new Y.Doc();
    expect(schemaVersion(doc)).toBeNull();
    ensureSchema(doc);
    expect(schemaVersion(doc)).toBe(COMMENTARY_SCHEMA_VERSION);
    doc.getMap('meta').set('schemaVersion', COMMENTARY_SCHEMA_VERSION + 1);
    expect(() => ensureSchema(doc)).toThrow(SchemaVersionError);
  });

  it('normalises tags', () => {
    expect(normaliseTags(['  #Reform ', 'reform', '', 'two   words', '#'])).toEqual(['Reform', 'two words']);
  });
});
