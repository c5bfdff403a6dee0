'use client';

import { useEffect, useId, useRef, useState } from 'react';

export interface ComposerProps {
  /** What the comment is on, shown above the box. */
  context: React.ReactNode;
  initialBody?: string;
  initialTags?: string[];
  submitLabel: string;
  onSubmit: (body: string, tags: string[]) => void;
  onCancel: () => void;
  onTyping?: (typing: boolean) => void;
  autoFocus?: boolean;
  testId?: string;
  /** Names offered after typing `@`. */
  mentionNames?: string[];
  /** Codes offered for the tags field. */
  tagSuggestions?: string[];
}

/** Splits a comma-separated tag field. */
export function splitTags(raw: string): string[] {
  return raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** An inline comment box: text, tags, post (Ctrl/⌘+Enter) and cancel (Esc). No modal, no prompt(). */
export function Composer(props: ComposerProps) {
  const [body, setBody] = useState(props.initialBody ?? '');
  const [tags, setTags] = useState((props.initialTags ?? []).join(', '));
  const [error, setError] = useState<string | null>(null);
  const [mention, setMention] = useState<{ query: string; at: number; pick: number } | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const candidates = mention
    ? (props.mentionNames ?? []).filter((n) => n.toLowerCase().startsWith(mention.query.toLowerCase()) || n.toLowerCase().includes(` ${mention.query.toLowerCase()}`)).slice(0, 6)
    : [];

  // Offers names while the word before the caret starts with @.
  const trackMention = (value: string, caret: number) => {
    const m = /(^|\s)@([\p{L}][\p{L} .'-]{0,30})?$/u.exec(value.slice(0, caret));
    if (m && props.mentionNames?.length) setMention({ query: (m[2] ?? '').replace(/\s+$/, ''), at: caret - (m[2]?.length ?? 0) - 1, pick: 0 });
    else setMention(null);
  };
  const acceptMention = (name: string) => {
    if (!mention || !ref.current) return;
    const caret = ref.current.selectionStart ?? body.length;
    const next = `${body.slice(0, mention.at)}@${name} ${body.slice(caret)}`;
    setBody(next);
    setMention(null);
    const pos = mention.at + name.length + 2;
    window.requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(pos, pos);
    });
  };
  const id = useId();
  const { onTyping, autoFocus } = props;

  useEffect(() => {
    if (autoFocus) ref.current?.focus({ preventScroll: false });
  }, [autoFocus]);

  useEffect(() => {
    onTyping?.(body.length > 0);
  }, [body, onTyping]);
  useEffect(() => () => onTyping?.(false), [onTyping]);

  const submit = () => {
    if (!body.trim()) {
      setError('Write something first.');
      ref.current?.focus();
      return;
    }
    props.onSubmit(body, splitTags(tags));
  };

  return (
    <form
      data-testid={props.testId ?? 'composer'}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (candidates.length && mention && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
          e.preventDefault();
          const delta = e.key === 'ArrowDown' ? 1 : -1;
          setMention({ ...mention, pick: (mention.pick + delta + candidates.length) % candidates.length });
          return;
        }
        if (candidates.length && mention && (e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          acceptMention(candidates[Math.min(mention.pick, candidates.length - 1)]);
          return;
        }
        if (e.key === 'Escape' && mention) {
          e.preventDefault();
          setMention(null);
          return;
        }
        if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
      }}
    >
      {props.context}
      <label htmlFor={`${id}-body`} className="sr-only">
        Comment text
      </label>
      <textarea
        id={`${id}-body`}
        ref={ref}
        data-testid="composer.body"
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          trackMention(e.target.value, e.target.selectionStart ?? e.target.value.length);
          if (error) setError(null);
        }}
        aria-autocomplete="list"
        aria-controls={candidates.length ? `${id}-mentions` : undefined}
        rows={3}
        maxLength={10_000}
        placeholder="Write a comment…"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="block w-full resize-y rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 text-sm text-[var(--text)] placeholder:text-[var(--text-muted)]"
      />
      {candidates.length > 0 && mention && (
        <ul id={`${id}-mentions`} role="listbox" aria-label="Mention someone" className="rounded-md border border-[var(--border)] bg-[var(--surface)] p-1 shadow-md" data-testid="composer.mentions">
          {candidates.map((n, i) => (
            <li
              key={n}
              role="option"
              aria-selected={i === mention.pick}
              onMouseDown={(e) => {
                e.preventDefault();
                acceptMention(n);
              }}
              className={`cursor-pointer rounded px-2 py-1 text-sm ${i === mention.pick ? 'bg-[var(--surface-muted)] font-medium' : ''}`}
            >
              @{n}
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={`${id}-tags`} className="sr-only">
        Tags, separated by commas
      </label>
      <input
        id={`${id}-tags`}
        data-testid="composer.tags"
        value={tags}
        onChange={(e) => setTags(e.target.value)}
        placeholder="Tags, comma-separated (optional)"
        maxLength={300}
        className="block w-full rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-1.5 text-sm text-[var(--text)] placeholder:text-[var(--text-muted)]"
      />
      {(() => {
        // Offer the codes that match the tag being typed and are not in the field yet.
        const parts = tags.split(',');
        const current = parts[parts.length - 1].trim().replace(/^#/, '').toLowerCase();
        const chosen = new Set(parts.slice(0, -1).map((p) => p.trim().replace(/^#/, '').toLowerCase()));
        const offer = (props.tagSuggestions ?? []).filter((t) => !chosen.has(t.toLowerCase()) && t.toLowerCase() !== current && t.toLowerCase().startsWith(current)).slice(0, 8);
        if (!offer.length) return null;
        return (
          <div className="flex flex-wrap items-center gap-1" aria-label="Codes" data-testid="composer.codes">
            {offer.map((t) => (
              <button
                key={t}
                type="button"
                onClick={() => setTags([...parts.slice(0, -1).map((p) => p.trim()).filter(Boolean), t].join(', ') + ', ')}
                className="rounded-full border border-[var(--border)] px-2 py-0.5 text-xs hover:bg-[var(--surface-muted)]"
              >
                #{t}
              </button>
            ))}
          </div>
        );
      })()}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <div className="flex items-center gap-2">
        <button
          type="submit"
          data-testid="composer.submit"
          className="rounded-md bg-[var(--accent)] px-3 py-1.5 text-sm font-medium text-[var(--accent-text)] hover:opacity-90"
        >
          {props.submitLabel}
        </button>
        <button
          type="button"
          onClick={props.onCancel}
          className="rounded-md px-3 py-1.5 text-sm text-[var(--text-muted)] hover:bg-[var(--surface-muted)]"
        >
          Cancel
        </button>
        <span className="ml-auto hidden text-xs text-[var(--text-muted)] sm:inline">Ctrl+Enter to post · Esc to cancel</span>
      </div>
    </form>
  );
}
