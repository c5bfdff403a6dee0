'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Starts a review session on a transcript and opens it. */
export function StartSessionButton({
  transcriptId,
  label = 'Start a review session',
  primary = false,
}: {
  transcriptId: string;
  label?: string;
  primary?: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transcriptId }),
      });
      const body = (await res.json().catch(() => null)) as { path?: string; error?: { message?: string } } | null;
      if (!res.ok || !body?.path) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      router.push(body.path);
    } catch (err) {
      setError(`Could not start the session: ${(err as Error).message}`);
      setBusy(false);
    }
  };

  return (
    <div>
      <button
        type="button"
        onClick={start}
        disabled={busy}
        data-testid="session.start"
        className={`rounded-md px-3.5 py-2 text-sm font-medium disabled:opacity-60 ${
          primary
            ? 'bg-[var(--accent)] text-[var(--accent-text)] hover:opacity-90'
            : 'border border-[var(--border)] bg-[var(--surface)] hover:bg-[var(--surface-muted)]'
        }`}
      >
        {busy ? 'Starting…' : label}
      </button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
