'use client';

import { useId, useState } from 'react';
import { isNarrowed, NO_FILTER, type ThreadFilter } from '@/lib/doc/filter';

export interface FilterOptions {
  authors: { id: string; name: string }[];
  tags: string[];
  sections: { id: string; title: string }[];
  verdicts: string[];
}

export interface FilterBarProps {
  filter: ThreadFilter;
  onFilter: (f: ThreadFilter) => void;
  options: FilterOptions;
  lastVisit: number | null;
  me: { id: string; name: string } | null;
  newCount: number;
  mentionCount: number;
}

const STATUS: { value: ThreadFilter['status']; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
];

function Select(props: { label: string; value: string | null; onChange: (v: string | null) => void; options: { value: string; label: string }[]; testId: string }) {
  const id = useId();
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <label htmlFor={id} className="text-[11px] font-medium text-[var(--text-muted)]">
        {props.label}
      </label>
      <select
        id={id}
        data-testid={props.testId}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value || null)}
        className="min-w-0 rounded border border-[var(--border)] bg-[var(--surface)] px-1.5 py-1 text-xs"
      >
        <option value="">Any</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Status at a glance, and on demand: author, tag, exchange, verdict, new since my last visit, mentions of me. */
export function FilterBar(props: FilterBarProps) {
  const { filter, onFilter, options } = props;
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<ThreadFilter>) => onFilter({ ...filter, ...patch });
  const narrowed = isNarrowed(filter);
  const chip = (on: boolean) =>
    `rounded-full border px-2 py-0.5 text-xs ${on ? 'border-[var(--accent)] bg-[var(--accent)] text-[var(--accent-text)]' : 'border-[var(--border)] hover:bg-[var(--surface-muted)]'}`;

  return (
    <div className="border-b border-[var(--border)] px-4 py-2">
      <div className="flex flex-wrap items-center gap-1.5">
        <div role="group" aria-label="Show threads" className="flex rounded-md border border-[var(--border)] p-0.5">
          {STATUS.map((f) => (
            <button
              key={f.value}
              type="button"
              aria-pressed={filter.status === f.value}
              data-testid={`filter.${f.value}`}
              onClick={() => set({ status: f.value })}
              className={`rounded px-2 py-0.5 text-xs ${
                filter.status === f.value ? 'bg-[var(--surface-muted)] font-semibold text-[var(--text)]' : 'text-[var(--text-muted)]'
              }`}
            >
              {f.label}
            </button>
          ))}
        </div>
        {props.lastVisit !== null && (
          <button
            type="button"
            aria-pressed={filter.newSince !== null}
            data-testid="filter.new"
            onClick={() => set({ newSince: filter.newSince === null ? props.lastVisit : null })}
            className={chip(filter.newSince !== null)}
            title="Comments by others since your last visit"
          >
            New ({props.newCount})
          </button>
        )}
        {props.me && (
          <button
            type="button"
            aria-pressed={filter.mentioning !== null}
            data-testid="filter.mentions"
            onClick={() => set({ mentioning: filter.mentioning ? null : props.me })}
            className={chip(filter.mentioning !== null)}
          >
            @ me ({props.mentionCount})
          </button>
        )}
        <button
          type="button"
          aria-expanded={open}
          aria-controls="more-filters"
          data-testid="filter.more"
          onClick={() => setOpen((v) => !v)}
          className="ml-auto rounded px-1.5 py-0.5 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)] hover:text-[var(--text)]"
        >
          {open ? 'Fewer filters' : 'More filters'}
        </button>
        {(narrowed || filter.status !== 'all') && (
          <button type="button" onClick={() => onFilter(NO_FILTER)} className="rounded px-1.5 py-0.5 text-xs text-[var(--accent)] hover:underline" data-testid="filter.clear">
            Clear
          </button>
        )}
      </div>
      {open && (
        <div id="more-filters" className="mt-2 grid grid-cols-2 gap-2">
          <Select label="Author" testId="filter.author" value={filter.authorId} onChange={(v) => set({ authorId: v })} options={options.authors.map((a) => ({ value: a.id, label: a.name }))} />
          <Select label="Tag" testId="filter.tag" value={filter.tag} onChange={(v) => set({ tag: v })} options={options.tags.map((t) => ({ value: t, label: `#${t}` }))} />
          <Select label="Exchange" testId="filter.section" value={filter.sectionId} onChange={(v) => set({ sectionId: v })} options={options.sections.map((s) => ({ value: s.id, label: s.title }))} />
          <Select label="Verdict" testId="filter.verdict" value={filter.verdict} onChange={(v) => set({ verdict: v })} options={options.verdicts.map((v) => ({ value: v, label: v }))} />
        </div>
      )}
    </div>
  );
}
