'use client';

import { Fragment, useMemo } from 'react';
import type { Transcript, Turn } from '@/lib/transcript/types';

export interface TurnPreviewProps {
  transcript: Transcript;
  /** How many turns to show, from the first. */
  visible: number;
  /** The label a new speaker would get (`Speaker 2`), offered in each turn's speaker list. */
  newSpeaker: string;
  onShowMore: () => void;
  onMergeUp: (turnId: string) => void;
  onSplit: (turnId: string, paragraphIndex: number) => void;
  onAssign: (turnId: string, label: string) => void;
}

/** `3725.5` → `1:02:05`. */
function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const KIND_LABEL: Record<Turn['kind'], string> = {
  statement: 'Statement',
  question: 'Question',
  answer: 'Answer',
  remark: 'Remark',
};

const small = 'rounded-md px-2 py-1 text-xs font-medium text-[var(--accent)] hover:bg-[var(--surface-muted)]';

/** The first turns as they will be stored, each with inline controls: its speaker, split between paragraphs, merge into the turn above. */
export function TurnPreview({ transcript, visible, newSpeaker, onShowMore, onMergeUp, onSplit, onAssign }: TurnPreviewProps) {
  const exchangeOf = useMemo(() => {
    const m = new Map<string, number>();
    for (const x of transcript.exchanges) for (const id of [x.question, ...x.answers]) m.set(id, x.number);
    return m;
  }, [transcript]);
  const roles = useMemo(() => new Map(transcript.speakers.map((s) => [s.label, s.role])), [transcript]);
  const shown = transcript.turns.slice(0, visible);
  const rest = transcript.turns.length - shown.length;

  return (
    <div>
      <ol className="space-y-3" data-testid="preview.turns">
        {shown.map((turn) => {
          const n = turn.index + 1;
          const exchange = exchangeOf.get(turn.id);
          const role = roles.get(turn.speaker);
          const asks = role === 'asks';
          return (
            <li key={turn.id}>
              <article
                id={`preview-${turn.id}`}
                tabIndex={-1}
                data-testid="preview.turn"
                data-turn-id={turn.id}
                data-kind={turn.kind}
                aria-label={`Turn ${n}, ${turn.speaker}, ${KIND_LABEL[turn.kind].toLowerCase()}`}
                className="rounded-lg border border-[var(--border)] bg-[var(--surface)] p-4"
              >
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
                  <span className="w-8 text-xs tabular-nums text-[var(--text-muted)]">{n}</span>
                  <select
                    aria-label={`Speaker of turn ${n}`}
                    data-testid="preview.turn-speaker"
                    value={turn.speaker}
                    onChange={(e) => onAssign(turn.id, e.target.value)}
                    className={`max-w-56 truncate rounded-md px-2 py-0.5 text-xs font-semibold tracking-wide ${
                      asks
                        ? 'border border-[var(--accent)] bg-[var(--surface)] text-[var(--accent)]'
                        : role === 'moderates'
                          ? 'border border-dashed border-[var(--text-muted)] bg-[var(--surface)] text-[var(--text)]'
                          : 'border border-[var(--text)] bg-[var(--text)] text-[var(--bg)]'
                    }`}
                  >
                    {transcript.speakers.map((s) => (
                      <option key={s.label} value={s.label}>
                        {s.label}
                      </option>
                    ))}
                    <option value={newSpeaker}>New speaker ({newSpeaker})</option>
                  </select>
                  <span className="text-xs text-[var(--text-muted)]" data-testid="preview.turn-kind">
                    {KIND_LABEL[turn.kind]}
                    {exchange ? ` · exchange ${exchange}` : ''}
                    {turn.start !== null ? ` · ${clock(turn.start)}` : ''}
                  </span>
                  {turn.index > 0 && (
                    <button
                      type="button"
                      data-testid="preview.merge-up"
                      onClick={() => onMergeUp(turn.id)}
                      className={`${small} ml-auto`}
                      aria-label={`Merge into turn above: turn ${n} into turn ${n - 1}`}
                    >
                      Merge into turn above
                    </button>
                  )}
                </div>
                <div className="mt-2 pl-11">
                  {turn.note && (
                    <p className="mb-2 rounded-md border border-dashed border-[var(--border)] bg-[var(--surface-muted)] px-3 py-1.5 text-sm text-[var(--text-muted)]" data-testid="preview.turn-note">
                      <span className="font-medium text-[var(--text)]">Note</span> — {turn.note}
                    </p>
                  )}
                  {turn.paragraphs.map((para, i) => (
                    <Fragment key={i}>
                      {i > 0 && (
                        <div className="group my-1 flex items-center gap-2">
                          <span aria-hidden="true" className="h-px flex-1 border-t border-dashed border-[var(--border)]" />
                          <button
                            type="button"
                            data-testid="preview.split"
                            onClick={() => onSplit(turn.id, i)}
                            aria-label={`Split here: turn ${n}, before paragraph ${i + 1}`}
                            className="rounded-md px-2 py-1 text-xs font-medium text-[var(--text-muted)] hover:bg-[var(--surface-muted)] hover:text-[var(--accent)] focus-visible:text-[var(--accent)]"
                          >
                            Split here
                          </button>
                          <span aria-hidden="true" className="h-px flex-1 border-t border-dashed border-[var(--border)]" />
                        </div>
                      )}
                      <p className="line-clamp-6 font-serif text-[1.0625rem] leading-relaxed">{para}</p>
                    </Fragment>
                  ))}
                </div>
              </article>
            </li>
          );
        })}
      </ol>
      {rest > 0 && (
        <div className="mt-4 flex items-center gap-3">
          <button
            type="button"
            data-testid="preview.more"
            onClick={onShowMore}
            className="rounded-md border border-[var(--border)] bg-[var(--surface)] px-3.5 py-2 text-sm font-medium hover:bg-[var(--surface-muted)]"
          >
            Show {Math.min(rest, 50)} more {Math.min(rest, 50) === 1 ? 'turn' : 'turns'}
          </button>
          <span className="text-sm text-[var(--text-muted)]">
            {rest} of {transcript.turns.length} turns not shown
          </span>
        </div>
      )}
    </div>
  );
}
