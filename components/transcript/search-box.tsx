'use client';

import { forwardRef } from 'react';

export interface SearchBoxProps {
  query: string;
  onQuery: (q: string) => void;
  total: number;
  index: number;
  onStep: (delta: 1 | -1) => void;
}

/** Transcript search: matches are marked in the text; Enter and Shift+Enter step through them. */
export const SearchBox = forwardRef<HTMLInputElement, SearchBoxProps>(function SearchBox(props, ref) {
  const { query, total, index } = props;
  return (
    <div className="px-3 pt-3" role="search">
      <label htmlFor="transcript-search" className="sr-only">
        Search the transcript
      </label>
      <div className="flex items-center gap-1 rounded-md border border-[var(--border)] bg-[var(--surface)] px-2 focus-within:ring-2 focus-within:ring-[var(--focus)]">
        <input
          id="transcript-search"
          ref={ref}
          type="search"
          data-testid="search.input"
          value={query}
          placeholder="Search (/)"
          autoComplete="off"
          onChange={(e) => props.onQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              props.onStep(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              props.onQuery('');
              e.currentTarget.blur();
            }
          }}
          className="min-w-0 flex-1 bg-transparent py-1 text-sm outline-none"
        />
        {query.trim().length >= 2 && (
          <span className="shrink-0 text-xs tabular-nums text-[var(--text-muted)]" data-testid="search.count" aria-live="polite">
            {total ? `${index + 1} of ${total}` : 'no match'}
          </span>
        )}
        <button
          type="button"
          aria-label="Previous match"
          disabled={!total}
          onClick={() => props.onStep(-1)}
          className="rounded px-1 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)] disabled:opacity-40"
        >
          ↑
        </button>
        <button
          type="button"
          aria-label="Next match"
          data-testid="search.next"
          disabled={!total}
          onClick={() => props.onStep(1)}
          className="rounded px-1 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)] disabled:opacity-40"
        >
          ↓
        </button>
      </div>
    </div>
  );
});
