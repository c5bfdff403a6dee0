'use client';

import type { Thread } from '@/lib/doc/commentary';
import { Composer } from './composer';
import { ThreadCard, type ThreadActions } from './thread-card';
import type { Undo } from '@/components/review/use-review';


export interface Draft {
  turnId: string;
  target: { start: number; end: number; exact: string } | null;
}

export interface CommentaryPaneProps {
  threads: Thread[];
  /** Threads that pass the filter, in transcript order. */
  visible: Thread[];
  filterBar: React.ReactNode;
  draft: Draft | null;
  draftLabel: string;
  onPost: (body: string, tags: string[]) => void;
  onCancelDraft: () => void;
  describe: (thread: Thread) => string;
  meId: string | null;
  canWrite: boolean;
  activeThreadId: string | null;
  flashing: ReadonlySet<string>;
  actions: ThreadActions;
  undo: Undo;
  mentionNames: string[];
  /** The codebook's active codes, offered in the tags field. */
  tagSuggestions: string[];
  /** Bumped when the analyst presses R: the active thread opens its reply box. */
  replyRequest: number;
}


/** The right pane: the composer when a comment is being written, then the threads in transcript order. */
export function CommentaryPane(props: CommentaryPaneProps) {
  const { visible } = props;
  const openCount = props.threads.filter((t) => t.root.status === 'open').length;

  return (
    <section aria-labelledby="commentary-heading" className="flex h-full flex-col">
      <div className="flex items-center justify-between gap-2 border-b border-[var(--border)] px-4 py-2">
        <h2 id="commentary-heading" className="text-sm">
          <span className="sr-only">Commentary: </span>
          <span className="font-semibold">{openCount} open</span>
          <span className="text-[var(--text-muted)]"> · {props.threads.length - openCount} resolved</span>
        </h2>
        <div className="ml-auto flex gap-0.5">
          <button
            type="button"
            disabled={!props.undo.canUndo}
            onClick={props.undo.undo}
            data-testid="commentary.undo"
            aria-label="Undo my last change"
            title="Undo my last change (Ctrl+Z)"
            className="rounded px-1.5 py-0.5 text-sm text-[var(--text-muted)] hover:bg-[var(--surface-muted)] disabled:opacity-40"
          >
            ↶
          </button>
          <button
            type="button"
            disabled={!props.undo.canRedo}
            onClick={props.undo.redo}
            data-testid="commentary.redo"
            aria-label="Redo"
            title="Redo (Ctrl+Shift+Z)"
            className="rounded px-1.5 py-0.5 text-sm text-[var(--text-muted)] hover:bg-[var(--surface-muted)] disabled:opacity-40"
          >
            ↷
          </button>
        </div>
      </div>

      {props.filterBar}

      <div className="flex-1 space-y-3 overflow-y-auto p-4" data-testid="commentary.scroll">
        {props.draft && (
          <div className="rounded-lg border border-[var(--accent)] bg-[var(--surface)] p-3 shadow-sm">
            <Composer
              key={`${props.draft.turnId}:${props.draft.target?.start ?? 'turn'}`}
              autoFocus
              submitLabel="Comment"
              mentionNames={props.mentionNames}
              tagSuggestions={props.tagSuggestions}
              onSubmit={props.onPost}
              onCancel={props.onCancelDraft}
              onTyping={props.actions.typing}
              context={
                <div>
                  <p className="text-xs font-medium text-[var(--text-muted)]">{props.draftLabel}</p>
                  {props.draft.target && (
                    <blockquote className="mt-1 border-l-2 border-[var(--accent)] pl-2 font-serif text-sm italic">
                      “{props.draft.target.exact.length > 280 ? `${props.draft.target.exact.slice(0, 280)}…` : props.draft.target.exact}”
                    </blockquote>
                  )}
                </div>
              }
            />
          </div>
        )}

        {props.threads.length === 0 && !props.draft && (
          <div className="rounded-lg border border-dashed border-[var(--border)] p-4 text-sm text-[var(--text-muted)]" data-testid="commentary.empty">
            <p className="font-medium text-[var(--text)]">No comments yet.</p>
            <p className="mt-1">
              Hover an answer and choose <em>Comment on this answer</em>, or select a passage in the transcript and choose{' '}
              <em>Comment</em> or <em>Highlight</em>. Everyone in the session sees it at once.
            </p>
          </div>
        )}
        {props.threads.length > 0 && visible.length === 0 && (
          <p className="text-sm text-[var(--text-muted)]" data-testid="commentary.none">
            No threads match these filters.
          </p>
        )}

        <ol className="space-y-3" aria-label="Comment threads">
          {visible.map((t) => (
            <ThreadCard
              key={t.root.id}
              thread={t}
              where={props.describe(t)}
              meId={props.meId}
              canWrite={props.canWrite}
              active={props.activeThreadId === t.root.id}
              flashing={props.flashing}
              actions={props.actions}
              mentionNames={props.mentionNames}
              tagSuggestions={props.tagSuggestions}
              replyRequest={props.activeThreadId === t.root.id ? props.replyRequest : undefined}
            />
          ))}
        </ol>
      </div>
    </section>
  );
}
