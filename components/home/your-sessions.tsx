'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '@/lib/collab/roles';
import { forgetSession, loadRecentSessions, sessionPath, type RecentSession } from '@/components/session/recent-sessions';
import { RelativeTime } from '@/components/ui/relative-time';

/** The review sessions this browser has opened (sessions are private to their links, so the server lists none). */
export function YourSessions() {
  const [sessions, setSessions] = useState<RecentSession[] | null>(null);
  useEffect(() => setSessions(loadRecentSessions()), []);
  if (!sessions || sessions.length === 0) return null;
  return (
    <section aria-labelledby="your-sessions-heading" className="mb-10">
      <h2 id="your-sessions-heading" className="mb-3 text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">
        Your review sessions
      </h2>
      <ul className="divide-y divide-[var(--border)] rounded-xl border border-[var(--border)] bg-[var(--surface)]">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3" data-testid="your-session">
            <div className="min-w-0 flex-1">
              <Link href={sessionPath(s.id, s.key)} className="font-medium text-[var(--accent)] hover:underline" data-testid="session.link">
                {s.title}
              </Link>
              <p className="truncate text-xs text-[var(--text-muted)]">
                {ROLE_LABELS[s.role]} · opened <RelativeTime ms={s.lastVisited} />
              </p>
            </div>
            <button
              type="button"
              className="rounded px-2 py-1 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)]"
              onClick={() => {
                forgetSession(s.id);
                setSessions(loadRecentSessions());
              }}
              aria-label={`Remove ${s.title} from this list`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
