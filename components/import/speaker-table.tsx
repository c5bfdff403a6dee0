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

  return (
    <li
      data-testid="preview.speaker"
      data-speaker={speaker.label}
      data-role={speaker.role}
      className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-[var(--border)] py-2.5"
    >
      <div className="flex min-w-48 flex-1 flex-col items-start gap-0.5">
        <SpeakerChip label={speaker.label} role={speaker.role} />
        <span className="text-xs text-[var(--text-muted)]">
          {speaker.name !== speaker.label ? `${speaker.name} · ` : ''}
          <span data-testid="preview.speaker-turns">{speaker.turns}</span> {speaker.turns === 1 ? 'turn' : 'turns'}
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-2">
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
            className={`${control} w-36 min-w-0`}
          />
          <button type="submit" disabled={!changed} data-testid="preview.speaker-rename" className={button}>
            Rename
          </button>
        </form>
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
              className={`${control} w-36`}
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
      </div>
    </li>
  );
}

/** Every speaker the parser found, with the number of turns each, and inline controls to fix them. */
export function SpeakerTable(props: SpeakerTableProps) {
  const { speakers } = props;
  return (
    <ul className="border-b border-[var(--border)] text-sm" data-testid="preview.speakers" aria-label="Speakers found">
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
    </ul>
  );
}
