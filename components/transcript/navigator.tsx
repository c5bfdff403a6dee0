'use client';

import type { Section } from '@/lib/transcript/sections';

export interface NavigatorProps {
  sections: Section[];
  /** Comment threads per section id. */
  counts: ReadonlyMap<string, number>;
  /** Verdicts given per section id. */
  verdictCounts: ReadonlyMap<string, number>;
  /** Sections with an answer on which analysts' verdicts differ. */
  disagreements: ReadonlySet<string>;
  currentSectionId: string | null;
  /** The section the lead marked as under discussion. */
  discussedSectionId: string | null;
  onJump: (sectionId: string) => void;
}

/** The list of the opening and the exchanges, with comment counts; doubles as a coverage map. */
export function Navigator({ sections, counts, verdictCounts, disagreements, currentSectionId, discussedSectionId, onJump }: NavigatorProps) {
  return (
    <nav aria-label="Exchanges" className="flex h-full flex-col">
      <h2 className="px-4 pb-2 pt-4 text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">Contents</h2>
      <ol className="flex-1 space-y-0.5 overflow-y-auto px-2 pb-4" data-testid="navigator">
        {sections.map((s) => {
          const n = counts.get(s.id) ?? 0;
          const v = verdictCounts.get(s.id) ?? 0;
          const current = s.id === currentSectionId;
          const discussed = s.id === discussedSectionId;
          const untouched = n === 0 && v === 0;
          return (
            <li key={s.id}>
              <button
                type="button"
                onClick={() => onJump(s.id)}
                aria-current={current ? 'location' : undefined}
                data-testid="navigator.item"
                className={`group flex w-full items-start gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-[var(--surface-muted)] ${
                  current ? 'bg-[var(--surface-muted)] font-medium' : ''
                }`}
              >
                <span className="relative w-5 shrink-0 pt-px text-right text-xs tabular-nums text-[var(--text-muted)]">
                  {discussed && (
                    <span className="absolute -left-2 top-1.5 h-2 w-2 rounded-full bg-[var(--accent)]" data-testid="navigator.discussing" title="Being discussed now" />
                  )}
                  {s.number ?? '·'}
                </span>
                <span className="min-w-0 flex-1">
                  <span className={`line-clamp-2 ${untouched ? 'text-[var(--text-muted)]' : ''}`}>{s.title}</span>
                  {discussed && <span className="sr-only"> (being discussed now)</span>}
                  {v > 0 && (
                    <span className="block text-[11px] text-[var(--text-muted)]" data-testid="navigator.verdicts">
                      {v} {v === 1 ? 'verdict' : 'verdicts'}
                      {disagreements.has(s.id) && (
                        <span className="ml-1.5 rounded-full bg-amber-100 px-1.5 font-medium text-amber-950 dark:bg-amber-900 dark:text-amber-100" data-testid="navigator.disagreement">
                          disagreement
                        </span>
                      )}
                    </span>
                  )}
                </span>
                <span
                  className={`shrink-0 rounded-full px-1.5 text-xs tabular-nums ${
                    n ? 'bg-[var(--surface)] text-[var(--text)] ring-1 ring-[var(--border)]' : 'text-[var(--text-muted)]'
                  }`}
                  title={untouched ? 'Nobody has looked at this yet' : `${n} comment threads, ${v} verdicts`}
                >
                  {n || '–'}
                  <span className="sr-only">{n === 1 ? ' comment' : ' comments'}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
