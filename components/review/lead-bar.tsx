'use client';

import { useEffect, useState } from 'react';
import type { DiscussionTimer, ReviewState } from '@/lib/doc/review';
import type { Peer } from '@/lib/presence/awareness';

export interface LeadBarProps {
  review: ReviewState;
  meId: string | null;
  isLead: boolean;
  canTakeLead: boolean;
  peers: Peer[];
  focusLabel: string | null;
  following: boolean;
  onToggleFollow: () => void;
  onTakeLead: () => void;
  onHandLead: (peer: Peer) => void;
  onReleaseLead: () => void;
  onNext: () => void;
  onStartTimer: (seconds: number) => void;
  onStopTimer: () => void;
  onShowFocus: () => void;
}

function remaining(timer: DiscussionTimer, now: number): number {
  return Math.max(0, Math.round(timer.startedAt / 1000 + timer.seconds - now / 1000));
}

function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The timer everyone sees, counting down once a second. */
function TimerView({ timer }: { timer: DiscussionTimer }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  const left = remaining(timer, now);
  return (
    <span
      data-testid="lead.timer"
      role="timer"
      aria-live="off"
      className={`rounded-full px-2 py-0.5 font-mono text-xs tabular-nums ${
        left === 0 ? 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100' : 'bg-[var(--surface-muted)]'
      }`}
    >
      ⏱ {left === 0 ? 'time is up' : clock(left)}
    </span>
  );
}

/** The review bar: who leads, what is being discussed now, the timer, and follow on or off. */
export function LeadBar(props: LeadBarProps) {
  const { review, isLead, following } = props;
  const [handing, setHanding] = useState(false);
  const others = props.peers.filter((p) => !p.isSelf);
  const btn = 'rounded-md border border-[var(--border)] px-2 py-0.5 text-xs font-medium hover:bg-[var(--surface-muted)]';

  return (
    <div
      className="sticky top-0 z-20 flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-[var(--border)] bg-[var(--bg)]/95 px-4 py-1.5 text-xs backdrop-blur"
      data-testid="lead.bar"
    >
      <span>
        <span className="text-[var(--text-muted)]">Lead: </span>
        <span className="font-medium" data-testid="lead.name">
          {review.lead ? (review.lead.userId === props.meId ? 'you' : review.lead.name) : 'nobody yet'}
        </span>
      </span>
      {props.focusLabel && (
        <button type="button" className="truncate text-left hover:underline" onClick={props.onShowFocus} data-testid="lead.focus">
          <span className="text-[var(--text-muted)]">Discussing: </span>
          <span className="font-medium">{props.focusLabel}</span>
        </button>
      )}
      {review.timer && <TimerView timer={review.timer} />}
      <span className="ml-auto flex flex-wrap items-center gap-1.5">
        {!isLead && review.lead && (
          <button type="button" aria-pressed={following} onClick={props.onToggleFollow} className={btn} data-testid="lead.follow" title="Follow the lead (F)">
            {following ? '✓ Following the lead' : 'Follow the lead'}
          </button>
        )}
        {props.canTakeLead && !isLead && (
          <button type="button" onClick={props.onTakeLead} className={btn} data-testid="lead.take">
            Take the lead
          </button>
        )}
        {isLead && (
          <>
            <button type="button" onClick={props.onNext} className={btn} data-testid="lead.next" title="Move the discussion to the next exchange">
              Next exchange →
            </button>
            {review.timer ? (
              <button type="button" onClick={props.onStopTimer} className={btn} data-testid="lead.timer-stop">
                Stop timer
              </button>
            ) : (
              <>
                <button type="button" onClick={() => props.onStartTimer(180)} className={btn} data-testid="lead.timer-3">
                  3-min timer
                </button>
                <button type="button" onClick={() => props.onStartTimer(300)} className={btn}>
                  5-min timer
                </button>
              </>
            )}
            {others.length > 0 &&
              (handing ? (
                <span className="flex flex-wrap items-center gap-1" role="group" aria-label="Hand the lead to">
                  {others.map((p) => (
                    <button
                      key={p.clientId}
                      type="button"
                      className={btn}
                      onClick={() => {
                        setHanding(false);
                        props.onHandLead(p);
                      }}
                    >
                      {p.user.name}
                    </button>
                  ))}
                  <button type="button" className="px-1 text-[var(--text-muted)]" onClick={() => setHanding(false)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" onClick={() => setHanding(true)} className={btn} data-testid="lead.hand">
                  Hand the lead…
                </button>
              ))}
            <button type="button" onClick={props.onReleaseLead} className="px-1 text-[var(--text-muted)] hover:underline">
              Step down
            </button>
          </>
        )}
      </span>
    </div>
  );
}
