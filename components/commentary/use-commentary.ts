'use client';

import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { listComments, listVerdicts, LOCAL_ORIGIN, observeCommentary, type Comment, type Verdict } from '@/lib/doc/commentary';

export interface CommentaryState {
  comments: Comment[];
  verdicts: Verdict[];
  /** Ids of comments that changed in the last remote transaction, for a brief flash. */
  remoteChanged: ReadonlySet<string>;
}

const EMPTY: CommentaryState = { comments: [], verdicts: [], remoteChanged: new Set() };

/** Reads the commentary out of the doc and re-reads it after every change. */
export function useCommentary(doc: Y.Doc | null): CommentaryState {
  const [state, setState] = useState<CommentaryState>(EMPTY);

  useEffect(() => {
    if (!doc) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pendingRemote = new Set<string>();
    const refresh = () => {
      timer = null;
      const remoteChanged = pendingRemote;
      pendingRemote = new Set();
      setState({ comments: listComments(doc), verdicts: listVerdicts(doc), remoteChanged });
    };
    const unsubscribe = observeCommentary(doc, (tx) => {
      if (tx.origin !== LOCAL_ORIGIN) {
        // Which comments did someone else touch? The changed keys of the comments map
        // (added or deleted threads) and the parents of changed nested maps (edits).
        for (const [type, keys] of tx.changed) {
          const item = (type as Y.AbstractType<unknown>)._item;
          if (item && typeof item.parentSub === 'string') pendingRemote.add(item.parentSub);
          for (const k of keys) if (typeof k === 'string') pendingRemote.add(k);
        }
      }
      // Coalesce bursts (several transactions in one task) into one render. A timer,
      // not requestAnimationFrame: a tab in the background must still catch up.
      if (!timer) timer = setTimeout(refresh, 0);
    });
    refresh();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [doc]);

  return state;
}
