import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, addReply, deleteComment, editComment, importCommentary, listComments } from '../../../../lib/doc/commentary';
import { diffCommentary, readSnapshot, restorable } from '../../../../lib/doc/history';

const ana = { id: 'ana', name: 'Ana', color: '#0072B2' };

describe('history', () => {
  it('reads a snapshot, diffs it with now, and restores a deleted thread with its replies', () => {
    const doc = new Y.Doc();
    const root = addComment(doc, { turnId: 't3', body: 'Thread to lose', author: ana, at: 1 });
    const reply = addReply(doc, root, { body: 'Its reply', author: ana, at: 2 });
    const kept = addComment(doc, { turnId: 't5', body: 'Kept', author: ana, at: 3 });
    const snap = readSnapshot(Y.encodeStateAsUpdate(doc));
    expect(snap.comments.map((c) => c.body)).toEqual(['Thread to lose', 'Its reply', 'Kept']);

    deleteComment(doc, root);
    editComment(doc, kept, { body: 'Kept, edited' });
    const added = addComment(doc, { turnId: 't7', body: 'New', author: ana });
    const diff = diffCommentary(snap.comments, listComments(doc));
    expect(diff.deleted.map((c) => c.id).sort()).toEqual([reply, root].sort());
    expect(diff.added.map((c) => c.id)).toEqual([added]);
    expect(diff.changed.map((c) => c.after.body)).toEqual(['Kept, edited']);

    importCommentary(doc, { comments: restorable(snap.comments, root), verdicts: [] });
    expect(listComments(doc).map((c) => c.body)).toEqual(['Thread to lose', 'Its reply', 'Kept, edited', 'New']);
  });

  it('restores a single reply without its siblings', () => {
    const doc = new Y.Doc();
    const root = addComment(doc, { turnId: 't3', body: 'Root', author: ana });
    const r = addReply(doc, root, { body: 'One', author: ana });
    addReply(doc, root, { body: 'Two', author: ana });
    const snap = readSnapshot(Y.encodeStateAsUpdate(doc));
    expect(restorable(snap.comments, r).map((c) => c.body)).toEqual(['One']);
    expect(restorable(snap.comments, 'missing')).toEqual([]);
  });
});
