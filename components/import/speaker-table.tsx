'use client';

import { useState } from 'react';
import type { Speaker, SpeakerRole } from '@/lib/transcript/types';
import { MAX_SPEAKER_NAME } from '@/lib/transcript/edit';

export const ROLE_LABELS: Record<SpeakerRole, string> = {
  asks: 'Asks questions',
  answers: 'Answers',
  moderates: 'Moderates',
};

export interface SpeakerTableProps {
  speakers: Speaker[];
  onRename: (label: string, name: string) => void;
  onMerge: (from: string, into: string) => void;
  onRole: (label: string, role: SpeakerRole) => void;
}

/** The speaker as a chip, in the review room's styles: askers outlined, respondents solid, moderators dashed. */
export function SpeakerChip({ label, role }: { label: string; role: SpeakerRole | undefined }) {
  const style =
    role === 'asks'
      ? 'border border-[var(--accent)] text-[var(--accent)]'
      : role === 'moderates'
        ? 'border border-dashed border-[var(--text-muted)] text-[var(--text)]'
        : 'bg-[var(--text)] text-[var(--bg)]';
  return <span className={`inline-flex max-w-full items-center truncate rounded-md px-2 py-0.5 text-xs font-semibold tracking-wide ${style}`}>{label}</span>;
}

const control = 'rounded-md border border-[var(--border)] bg-[var(--surface)] px-2 py-1 text-sm';
const button = 'rounded-md border border-[var(--border)] bg-[var(--surface)] px-2.5 py-1 text-sm font-medium hover:bg-[var(--surface-muted)] disabled:opacity-50';

function SpeakerRow({ speaker, others, onRename, onMerge, onRole }: { speaker: Speaker; others: Speaker[] } & Omit<SpeakerTableProps, 'speakers'>) {
  const [name, setName] = useState(speaker.label);
  const [chosen, setInto] = useState('');
  // A merge elsewhere may have removed the speaker chosen here.
  const into = others.some((o) => o.label === chosen) ? chosen : '';
  const changed = name.trim() !== '' && name.trim() !== speaker.label;
  const rowId = `speaker-${speaker.label.replace(/[^A-Za-z0-9]+/g, '-')}`;

  return (
    <tr data-testid="preview.speaker" data-speaker={speaker.label} data-role={speaker.role} className="border-t border-[var(--border)] align-middle">
      <th scope="row" className="py-2 pr-3 text-left font-normal">
        <span id={rowId} className="flex flex-col items-start gap-1">
          <SpeakerChip label={speaker.label} role={speaker.role} />
          {speaker.name !== speaker.label && <span className="text-xs text-[var(--text-muted)]">{speaker.name}</span>}
        </span>
      </th>
      <td className="py-2 pr-3 text-right tabular-nums" data-testid="preview.speaker-turns">
        {speaker.turns}
      </td>
      <td className="py-2 pr-3">
        <select
          aria-label={`Role of ${speaker.label}`}
          data-testid="preview.speaker-role"
          value={speaker.role}
          onChange={(e) => onRole(speaker.label, e.target.value as SpeakerRole)}
          className={control}
        >
          {(Object.keys(ROLE_LABELS) as SpeakerRole[]).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </td>
      <td className="py-2 pr-3">
        <form
          className="flex gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            if (changed) onRename(speaker.label, name);
          }}
        >
          <input
            aria-label={`New name for ${speaker.label}`}
            data-testid="preview.speaker-name"
            value={name}
            maxLength={MAX_SPEAKER_NAME}
            onChange={(e) => setName(e.target.value)}
            className={`${control} w-40 min-w-0`}
          />
          <button type="submit" disabled={!changed} data-testid="preview.speaker-rename" className={button}>
            Rename
          </button>
        </form>
      </td>
      <td className="py-2">
        {others.length > 0 && (
          <form
            className="flex gap-1.5"
            onSubmit={(e) => {
              e.preventDefault();
              if (into) onMerge(speaker.label, into);
            }}
          >
            <select
              aria-label={`Merge ${speaker.label} into`}
              data-testid="preview.speaker-merge-into"
              value={into}
              onChange={(e) => setInto(e.target.value)}
              className={`${control} max-w-40`}
            >
              <option value="">Merge into…</option>
              {others.map((o) => (
                <option key={o.label} value={o.label}>
                  {o.label}
                </option>
              ))}
            </select>
            <button type="submit" disabled={!into} data-testid="preview.speaker-merge" className={button}>
              Merge
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

/** Every speaker the parser found, with the number of turns each, and inline controls to fix them. */
export function SpeakerTable(props: SpeakerTableProps) {
  const { speakers } = props;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] border-collapse text-sm" data-testid="preview.speakers">
        <caption className="sr-only">Speakers found, with their turns and roles</caption>
        <thead>
          <tr className="text-left text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">
            <th scope="col" className="pb-2 pr-3">
              Speaker
            </th>
            <th scope="col" className="pb-2 pr-3 text-right">
              Turns
            </th>
            <th scope="col" className="pb-2 pr-3">
              Role
            </th>
            <th scope="col" className="pb-2 pr-3">
              Rename
            </th>
            <th scope="col" className="pb-2">
              Merge
            </th>
          </tr>
        </thead>
        <tbody>
          {speakers.map((s) => (
            <SpeakerRow
              key={s.label}
              speaker={s}
              others={speakers.filter((o) => o.label !== s.label)}
              onRename={props.onRename}
              onMerge={props.onMerge}
              onRole={props.onRole}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
