'use client';

import { useId, useState } from 'react';
import { cleanDisplayName } from './identity';

/** The first-visit card that asks for a display name, inline (never a modal or prompt()). */
export function NameCard({ onSave, initial = '' }: { onSave: (name: string) => void; initial?: string }) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  return (
    <form
      data-testid="name.card"
      className="mx-auto mb-6 max-w-xl rounded-xl border border-[var(--border)] bg-[var(--surface)] p-4 shadow-sm"
      onSubmit={(e) => {
        e.preventDefault();
        const clean = cleanDisplayName(name);
        if (!clean) {
          setError('Enter the name the others will see next to your comments.');
          return;
        }
        onSave(clean);
      }}
    >
      <label htmlFor={id} className="block text-sm font-semibold">
        What should the others call you?
      </label>
      <p className="mt-0.5 text-sm text-[var(--text-muted)]">Your name appears beside your comments and where you are reading. This browser remembers it.</p>
      <div className="mt-3 flex gap-2">
        <input
          id={id}
          data-testid="name.input"
          autoFocus
          value={name}
          maxLength={60}
          autoComplete="name"
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          placeholder="e.g. Ana Ruiz"
          className="min-w-0 flex-1 rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-1.5 text-sm"
        />
        <button
          type="submit"
          data-testid="name.submit"
          className="rounded-md bg-[var(--accent)] px-3 py-1.5 text-sm font-medium text-[var(--accent-text)]"
        >
          Join the review
        </button>
      </div>
      {error && (
        <p id={`${id}-err`} role="alert" className="mt-2 text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  );
}
