'use client';

import { useCallback, useEffect, useId, useState } from 'react';
import type { Comment } from '@/lib/doc/commentary';
import { diffCommentary, readSnapshot, restorable, type SnapshotInfo, type SnapshotView } from '@/lib/doc/history';
import { RelativeTime } from '@/components/ui/relative-time';

export interface HistoryPanelProps {
  sessionId: string;
  accessKey: string;
  /** The live comments, to compare a snapshot with. */
  comments: Comment[];
  canSnapshot: boolean;
  canRestore: boolean;
  describeTurn: (turnId: string) => string;
  onRestore: (comments: Comment[]) => void;
}

function snapshotLabel(s: SnapshotInfo): string {
  return s.name ?? (s.kind === 'auto' ? 'Automatic snapshot' : 'Snapshot');
}

/** The session's history: snapshots taken after bursts of activity or by hand; open one to see it as it was and restore what was deleted since. */
export function HistoryPanel(props: HistoryPanelProps) {
  const { sessionId, accessKey } = props;
  const [snapshots, setSnapshots] = useState<SnapshotInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [open, setOpen] = useState<{ info: SnapshotInfo; view: SnapshotView } | null>(null);
  const id = useId();
  const headers = { authorization: `Bearer ${accessKey}` };

  const load = useCallback(async () => {
    try {
      const res = await fetch(`/api/sessions/${sessionId}/snapshots`, { headers: { authorization: `Bearer ${accessKey}` } });
      const body = (await res.json().catch(() => null)) as { snapshots?: SnapshotInfo[]; error?: { message?: string } } | null;
      if (!res.ok || !body?.snapshots) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      setSnapshots(body.snapshots);
      setError(null);
    } catch (err) {
      setError(`Could not load the history: ${(err as Error).message}`);
    }
  }, [sessionId, accessKey]);

  useEffect(() => {
    void load();
  }, [load]);

  const take = async () => {
    try {
      const res = await fetch(`/api/sessions/${sessionId}/snapshots`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: name.trim() || null }),
      });
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      if (!res.ok) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      setName('');
      await load();
    } catch (err) {
      setError(`Could not take a snapshot: ${(err as Error).message}`);
    }
  };

  const show = async (info: SnapshotInfo) => {
    try {
      const res = await fetch(`/api/sessions/${sessionId}/snapshots/${info.id}`, { headers });
      if (!res.ok) throw new Error(`The server answered ${res.status}.`);
      setOpen({ info, view: readSnapshot(new Uint8Array(await res.arrayBuffer())) });
    } catch (err) {
      setError(`Could not open the snapshot: ${(err as Error).message}`);
    }
  };

  const diff = open ? diffCommentary(open.view.comments, props.comments) : null;
  const deletedRoots = diff ? diff.deleted.filter((c) => !c.parentId || !diff.deleted.some((d) => d.id === c.parentId)) : [];

  return (
    <section aria-labelledby={`${id}-h`} className="flex h-full flex-col overflow-y-auto p-4" data-testid="history">
      <h2 id={`${id}-h`} className="mb-3 text-sm font-semibold">
        History
      </h2>
      {error && (
        <p role="alert" className="mb-2 text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {props.canSnapshot && (
        <form
          className="mb-4 flex gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            void take();
          }}
        >
          <label htmlFor={`${id}-name`} className="sr-only">
            Snapshot name
          </label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.target.value)}
            placeholder="Name this moment (optional)"
            className="min-w-0 flex-1 rounded border border-[var(--border)] bg-[var(--surface)] px-2 py-1 text-sm"
            data-testid="history.name"
          />
          <button type="submit" className="rounded bg-[var(--accent)] px-2.5 py-1 text-xs font-medium text-[var(--accent-text)]" data-testid="history.take">
            Take snapshot
          </button>
        </form>
      )}

      {open && diff ? (
        <div className="space-y-3" data-testid="history.open">
          <div className="flex items-center justify-between gap-2">
            <p className="text-sm">
              <span className="font-medium">{snapshotLabel(open.info)}</span>{' '}
              <span className="text-[var(--text-muted)]">
                · <RelativeTime ms={Date.parse(open.info.createdAt)} />
              </span>
            </p>
            <button type="button" onClick={() => setOpen(null)} className="rounded px-2 py-0.5 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)]">
              Back to the list
            </button>
          </div>
          <p className="text-xs text-[var(--text-muted)]" data-testid="history.summary">
            Since then: {diff.added.length} added · {diff.deleted.length} deleted · {diff.changed.length} changed. This view is read-only.
          </p>
          {deletedRoots.length > 0 && (
            <div>
              <h3 className="mb-1 text-xs font-semibold text-[var(--text-muted)]">Deleted since</h3>
              <ul className="space-y-2">
                {deletedRoots.map((c) => (
                  <li key={c.id} className="rounded-lg border border-dashed border-[var(--border)] bg-[var(--surface)] p-2.5" data-testid="history.deleted">
                    <p className="text-xs text-[var(--text-muted)]">
                      {props.describeTurn(c.turnId)} · {c.author.name}
                    </p>
                    {c.target && <p className="mt-1 font-serif text-sm italic">“{c.target.exact}”</p>}
                    <p className="mt-1 whitespace-pre-wrap text-sm">{c.body || 'Highlight'}</p>
                    {props.canRestore && (
                      <button
                        type="button"
                        className="mt-1.5 rounded border border-[var(--border)] px-2 py-0.5 text-xs font-medium hover:bg-[var(--surface-muted)]"
                        onClick={() => props.onRestore(restorable(open.view.comments, c.id))}
                        data-testid="history.restore"
                      >
                        Restore {c.parentId ? 'reply' : 'thread'}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div>
            <h3 className="mb-1 text-xs font-semibold text-[var(--text-muted)]">The commentary as it was ({open.view.comments.length})</h3>
            <ol className="space-y-1.5">
              {open.view.comments.map((c) => (
                <li key={c.id} className={`rounded border border-[var(--border)] px-2 py-1.5 text-xs ${c.parentId ? 'ml-4' : ''}`}>
                  <span className="font-semibold">{c.author.name}</span>
                  <span className="text-[var(--text-muted)]"> · {props.describeTurn(c.turnId)}</span>
                  <p className="mt-0.5 whitespace-pre-wrap">{c.body || 'Highlight'}</p>
                </li>
              ))}
            </ol>
          </div>
        </div>
      ) : (
        <>
          {snapshots === null && !error && <p className="text-sm text-[var(--text-muted)]">Loading…</p>}
          {snapshots?.length === 0 && (
            <p className="text-sm text-[var(--text-muted)]">No snapshots yet. Parley takes one after each burst of activity; take one by hand to mark a moment.</p>
          )}
          <ul className="space-y-1">
            {snapshots?.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  onClick={() => void show(s)}
                  className="flex w-full items-baseline justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-[var(--surface-muted)]"
                  data-testid="history.snapshot"
                >
                  <span className={s.name ? 'font-medium' : 'text-[var(--text-muted)]'}>{snapshotLabel(s)}</span>
                  <span className="shrink-0 text-xs text-[var(--text-muted)]">
                    <RelativeTime ms={Date.parse(s.createdAt)} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void load()} className="mt-2 self-start rounded px-2 py-0.5 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)]">
            Refresh
          </button>
        </>
      )}
    </section>
  );
}
