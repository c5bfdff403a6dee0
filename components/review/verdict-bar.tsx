'use client';

import { useId, useState } from 'react';
import type { Verdict } from '@/lib/doc/commentary';

export interface VerdictBarProps {
  turnId: string;
  scale: string[];
  verdicts: Verdict[];
  meId: string | null;
  canVote: boolean;
  onVote: (value: string, reason: string) => void;
}

/** True when analysts gave an answer more than one distinct verdict. */
export function isDisagreement(verdicts: readonly Verdict[]): boolean {
  return new Set(verdicts.map((v) => v.value)).size > 1;
}

/** Under an answer: the team's tally, a disagreement mark, and this analyst's own verdict with an optional reason. */
export function VerdictBar({ turnId, scale, verdicts, meId, canVote, onVote }: VerdictBarProps) {
  const mine = verdicts.find((v) => v.userId === meId) ?? null;
  const [reasonFor, setReasonFor] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const id = useId();
  const tally = new Map<string, Verdict[]>();
  for (const v of verdicts) tally.set(v.value, [...(tally.get(v.value) ?? []), v]);
  const disagree = isDisagreement(verdicts);

  return (
    <div className="mt-3 rounded-md border border-[var(--border)] bg-[var(--surface)] px-2.5 py-2" data-testid="verdicts" data-turn-id={turnId}>
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="text-xs font-semibold text-[var(--text-muted)]" id={`${id}-label`}>
          Verdict
        </span>
        {canVote ? (
          <div role="group" aria-labelledby={`${id}-label`} className="flex flex-wrap gap-1">
            {scale.map((value) => {
              const chosen = mine?.value === value;
              return (
                <button
                  key={value}
                  type="button"
                  aria-pressed={chosen}
                  data-testid="verdict.option"
                  data-value={value}
                  onClick={() => {
                    if (chosen) {
                      onVote('', '');
                      setReasonFor(null);
                    } else {
                      onVote(value, mine?.reason ?? '');
                      setReasonFor(value);
                      setReason(mine?.reason ?? '');
                    }
                  }}
                  className={`rounded-full border px-2 py-0.5 text-xs ${
                    chosen
                      ? 'border-[var(--accent)] bg-[var(--accent)] font-medium text-[var(--accent-text)]'
                      : 'border-[var(--border)] text-[var(--text)] hover:bg-[var(--surface-muted)]'
                  }`}
                >
                  {value}
                </button>
              );
            })}
          </div>
        ) : null}
      </div>
      {reasonFor && mine && (
        <form
          className="mt-2 flex gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            onVote(mine.value, reason);
            setReasonFor(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setReasonFor(null);
            }
          }}
        >
          <label htmlFor={`${id}-reason`} className="sr-only">
            Reason for “{mine.value}” (optional)
          </label>
          <input
            id={`${id}-reason`}
            data-testid="verdict.reason"
            value={reason}
            maxLength={200}
            onChange={(e) => setReason(e.target.value)}
            placeholder={`Why “${mine.value}”? (optional, one line)`}
            className="min-w-0 flex-1 rounded border border-[var(--border)] bg-[var(--surface)] px-2 py-0.5 text-xs"
          />
          <button type="submit" className="rounded bg-[var(--accent)] px-2 py-0.5 text-xs font-medium text-[var(--accent-text)]">
            Save
          </button>
        </form>
      )}
      {verdicts.length > 0 && (
        <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs" data-testid="verdict.tally">
          {[...tally].map(([value, list]) => (
            <span key={value} title={list.map((v) => `${v.userName}${v.reason ? `: ${v.reason}` : ''}`).join('\n')}>
              <span className="font-medium">{value}</span> <span className="tabular-nums text-[var(--text-muted)]">{list.length}</span>
            </span>
          ))}
          {disagree && (
            <span
              data-testid="verdict.disagreement"
              className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-950 dark:bg-amber-900 dark:text-amber-100"
            >
              Analysts disagree
            </span>
          )}
        </div>
      )}
    </div>
  );
}
