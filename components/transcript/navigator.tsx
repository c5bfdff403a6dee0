'use client';

import type { Section } from '@/lib/transcript/sections';

export interface NavigatorProps {
  sections: Section[];
  /** Comment threads per section id. */
  counts: ReadonlyMap<string, number>;
  currentSectionId: string | null;
  onJump: (sectionId: string) => void;
}

/** The list of the opening and the exchanges, with comment counts; doubles as a coverage map. */
export function Navigator({ sections, counts, currentSectionId, onJump }: NavigatorProps) {
  return (
    <nav aria-label="Exchanges" className="flex h-full flex-col">
      <h2 className="px-4 pb-2 pt-4 text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">Contents</h2>
      <ol className="flex-1 space-y-0.5 overflow-y-auto px-2 pb-4" data-testid="navigator">
        {sections.map((s) => {
          const n = counts.get(s.id) ?? 0;
          const current = s.id === currentSectionId;
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
                <span className="w-5 shrink-0 pt-px text-right text-xs tabular-nums text-[var(--text-muted)]">
                  {s.number ?? '·'}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="line-clamp-2">{s.title}</span>
                </span>
                <span
                  className={`shrink-0 rounded-full px-1.5 text-xs tabular-nums ${
                    n ? 'bg-[var(--surface)] text-[var(--text)] ring-1 ring-[var(--border)]' : 'text-[var(--text-muted)]'
                  }`}
                  title={n ? `${n} comment threads` : 'Nobody has commented here yet'}
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
