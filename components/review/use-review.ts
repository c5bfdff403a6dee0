'use client';

import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { commentaryUndoScope, LOCAL_ORIGIN } from '@/lib/doc/commentary';
import { DEFAULT_VERDICT_SCALE, observeReview, readReview, type ReviewState } from '@/lib/doc/review';
import { codebookUndoScope, listCodes, observeCodebook, type Code } from '@/lib/doc/codebook';

const EMPTY: ReviewState = { lead: null, focus: null, timer: null, scale: [...DEFAULT_VERDICT_SCALE] };

/** The session's review state (lead, focus, timer, verdict scale), re-read on every change. */
export function useReviewState(doc: Y.Doc | null): ReviewState {
  const [state, setState] = useState<ReviewState>(EMPTY);
  useEffect(() => {
    if (!doc) return;
    const read = () => setState(readReview(doc));
    read();
    return observeReview(doc, read);
  }, [doc]);
  return state;
}

export interface Undo {
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
}

/** Undo and redo of this analyst's own changes to the commentary (never anyone else's). */
export function useCommentaryUndo(doc: Y.Doc | null): Undo {
  const [manager, setManager] = useState<Y.UndoManager | null>(null);
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (!doc) return;
    const um = new Y.UndoManager([...commentaryUndoScope(doc), codebookUndoScope(doc)], { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 400 });
    const bump = () => setVersion((v) => v + 1);
    um.on('stack-item-added', bump);
    um.on('stack-item-popped', bump);
    um.on('stack-cleared', bump);
    setManager(um);
    return () => {
      um.destroy();
      setManager(null);
    };
  }, [doc]);
  return {
    canUndo: !!manager && manager.undoStack.length > 0,
    canRedo: !!manager && manager.redoStack.length > 0,
    undo: () => manager?.undo(),
    redo: () => manager?.redo(),
  };
}

/** The session's codebook, re-read on every change. */
export function useCodebook(doc: Y.Doc | null): Code[] {
  const [codes, setCodes] = useState<Code[]>([]);
  useEffect(() => {
    if (!doc) return;
    const read = () => setCodes(listCodes(doc));
    read();
    return observeCodebook(doc, read);
  }, [doc]);
  return codes;
}
