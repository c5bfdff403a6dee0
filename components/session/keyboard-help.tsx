'use client';

import { useEffect, useRef } from 'react';

/** Every key the review room answers to; the `?` panel lists them. */
export const SHORTCUTS: { keys: string[]; does: string }[] = [
  { keys: ['j', '↓'], does: 'Next turn' },
  { keys: ['k', '↑'], does: 'Previous turn' },
  { keys: [']'], does: 'Next exchange' },
  { keys: ['['], does: 'Previous exchange' },
  { keys: ['c'], does: 'Comment on the current turn' },
  { keys: ['n'], does: 'Next comment thread' },
  { keys: ['p'], does: 'Previous comment thread' },
  { keys: ['r'], does: 'Reply to the selected thread' },
  { keys: ['x'], does: 'Resolve or reopen the selected thread' },
  { keys: ['f'], does: 'Follow the lead, or stop' },
  { keys: ['/'], does: 'Search the transcript' },
  { keys: ['Ctrl', 'Z'], does: 'Undo my last change' },
  { keys: ['Ctrl', 'Shift', 'Z'], does: 'Redo' },
  { keys: ['Ctrl', 'Enter'], does: 'Post a comment or reply' },
  { keys: ['Esc'], does: 'Cancel a comment, close a panel' },
  { keys: ['?'], does: 'Show or hide this list' },
];

/** The `?` panel: a non-modal list of keys, closed with Esc or its button. */
export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="region"
      aria-label="Keyboard shortcuts"
      data-testid="help.panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape' || e.key === '?') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
      className="fixed bottom-4 right-4 z-50 w-80 rounded-xl border border-[var(--border)] bg-[var(--surface)] p-4 shadow-xl"
    >
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold">Keyboard shortcuts</h2>
        <button type="button" onClick={onClose} className="rounded px-2 py-0.5 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)]">
          Close
        </button>
      </div>
      <dl className="space-y-1.5 text-sm">
        {SHORTCUTS.map((s) => (
          <div key={s.does} className="flex items-center justify-between gap-3">
            <dt className="text-[var(--text-muted)]">{s.does}</dt>
            <dd className="flex gap-1">
              {s.keys.map((k) => (
                <kbd key={k} className="rounded border border-[var(--border)] bg-[var(--surface-muted)] px-1.5 py-0.5 font-mono text-xs">
                  {k}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-xs text-[var(--text-muted)]">Tab reaches every button; selected text opens Comment · Highlight.</p>
    </div>
  );
}

/** True when a key press belongs to a text field rather than to the page's shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
