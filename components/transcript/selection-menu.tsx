'use client';

import type { TurnSelection } from './selection';

/** The small menu that floats under a selected passage: Comment · Highlight · Add to brief. */
export function SelectionMenu({
  selection,
  onComment,
  onHighlight,
  onAddToBrief,
}: {
  selection: TurnSelection;
  onComment: () => void;
  onHighlight: () => void;
  /** Present when this analyst may write the brief. */
  onAddToBrief?: () => void;
}) {
  const top = Math.min(selection.rect.bottom + 8, window.innerHeight - 48);
  const left = Math.max(8, Math.min(selection.rect.left, window.innerWidth - 220));
  const item =
    'rounded px-2.5 py-1 text-sm font-medium text-[var(--text)] hover:bg-[var(--surface-muted)] focus-visible:bg-[var(--surface-muted)]';
  return (
    <div
      role="toolbar"
      aria-label="Selected passage"
      data-testid="selection.menu"
      className="fixed z-40 flex items-center gap-0.5 rounded-lg border border-[var(--border)] bg-[var(--surface)] p-1 shadow-lg"
      style={{ top, left }}
      // Keep the text selected while the menu is clicked.
      onMouseDown={(e) => e.preventDefault()}
    >
      <button type="button" className={item} data-testid="selection.comment" onClick={onComment}>
        Comment
      </button>
      <span className="h-4 w-px bg-[var(--border)]" aria-hidden="true" />
      <button type="button" className={item} data-testid="selection.highlight" onClick={onHighlight}>
        Highlight
      </button>
      {onAddToBrief && (
        <>
          <span className="h-4 w-px bg-[var(--border)]" aria-hidden="true" />
          <button type="button" className={item} data-testid="selection.brief" onClick={onAddToBrief}>
            Add to brief
          </button>
        </>
      )}
    </div>
  );
}
