import * as Y from 'yjs';
import { listComments, listVerdicts, type Comment, type Verdict } from './commentary';

/** A saved state of a session's commentary, as listed by the server. */
export interface SnapshotInfo {
  id: string;
  /** The name given when taken by hand; null for automatic snapshots. */
  name: string | null;
  kind: 'auto' | 'manual';
  createdAt: string;
}

/** The commentary at a snapshot, read with the same accessors as the live document. */
export interface SnapshotView {
  comments: Comment[];
  verdicts: Verdict[];
}

/** Reads a snapshot's encoded Yjs state (as the server sends it) into plain comments and verdicts. */
export function readSnapshot(update: Uint8Array): SnapshotView {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return { comments: listComments(doc), verdicts: listVerdicts(doc) };
  } finally {
    doc.destroy();
  }
}

export interface CommentaryDiff {
  /** In the live document, not at the snapshot. */
  added: Comment[];
  /** At the snapshot, gone from the live document: what can be restored. */
  deleted: Comment[];
  /** In both, with a different text, tags or status. */
  changed: { before: Comment; after: Comment }[];
}

/** What changed between a snapshot and now. */
export function diffCommentary(then: readonly Comment[], now: readonly Comment[]): CommentaryDiff {
  const before = new Map(then.map((c) => [c.id, c]));
  const after = new Map(now.map((c) => [c.id, c]));
  const changed: CommentaryDiff['changed'] = [];
  for (const [id, b] of before) {
    const a = after.get(id);
    if (a && (a.body !== b.body || a.status !== b.status || a.tags.join('\u0000') !== b.tags.join('\u0000'))) changed.push({ before: b, after: a });
  }
  return {
    added: now.filter((c) => !before.has(c.id)),
    deleted: then.filter((c) => !after.has(c.id)),
    changed,
  };
}

/**
 * The comments to write back to restore a deleted comment: the comment itself,
 * and, for a thread's first comment, its replies as they were at the snapshot
 * (deleting a thread deleted them too).
 */
export function restorable(snapshot: readonly Comment[], id: string): Comment[] {
  const root = snapshot.find((c) => c.id === id);
  if (!root) return [];
  if (root.parentId) return [root];
  return [root, ...snapshot.filter((c) => c.parentId === id)];
}
