'use client';

import { useId, useState, type DragEvent } from 'react';
import { ACCEPTED_EXTENSIONS, formatBytes } from '@/lib/transcript/detect';

export interface SourcePickerProps {
  maxBytes: number;
  onFile: (file: File) => void;
  onText: (text: string) => void;
}

const EXAMPLE = `Press briefing
Geneva, 3 May 2026

MODERATOR: Good morning.
SPOKESPERSON: Thank you. …
Q: Will the talks resume?`;

/** Where a transcript comes from: a dropped or chosen file, or pasted text. */
export function SourcePicker({ maxBytes, onFile, onText }: SourcePickerProps) {
  const fileId = useId();
  const pasteId = useId();
  const [dragging, setDragging] = useState(false);
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) onFile(file);
  };

  return (
    <div className="grid gap-5 md:grid-cols-2">
      <section
        aria-labelledby={`${fileId}-h`}
        data-testid="import.dropzone"
        data-dragging={dragging || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex min-h-64 flex-col items-center justify-center rounded-xl border-2 border-dashed p-6 text-center transition-colors ${
          dragging ? 'border-[var(--accent)] bg-[var(--surface-muted)]' : 'border-[var(--border)] bg-[var(--surface)]'
        }`}
      >
        <h2 id={`${fileId}-h`} className="font-serif text-lg font-semibold">
          Upload a file
        </h2>
        <p className="mt-1 text-sm text-[var(--text-muted)]">Drop it here, or choose it from your computer.</p>
        <input
          id={fileId}
          type="file"
          data-testid="import.file"
          accept={ACCEPTED_EXTENSIONS.join(',')}
          className="peer sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared so that choosing the same file again (after fixing it) fires a change.
            e.target.value = '';
            if (file) onFile(file);
          }}
        />
        <label
          htmlFor={fileId}
          className="mt-4 cursor-pointer rounded-md bg-[var(--accent)] px-3.5 py-2 text-sm font-medium text-[var(--accent-text)] hover:opacity-90 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-[var(--focus)]"
        >
          Choose a file
        </label>
        <p className="mt-4 text-xs text-[var(--text-muted)]">
          Text or Markdown (.txt, .md), subtitles (.vtt, .srt) or Word (.docx), up to {formatBytes(maxBytes)}.
        </p>
      </section>

      <section aria-labelledby={`${pasteId}-h`} className="flex flex-col rounded-xl border border-[var(--border)] bg-[var(--surface)] p-5">
        <h2 id={`${pasteId}-h`} className="font-serif text-lg font-semibold">
          Paste the text
        </h2>
        <form
          className="mt-2 flex flex-1 flex-col"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim() === '') {
              setEmpty(true);
              return;
            }
            onText(text);
          }}
        >
          <label htmlFor={pasteId} className="text-sm text-[var(--text-muted)]">
            Transcript text, with speaker labels such as <code className="font-mono text-xs">NAME:</code> or <code className="font-mono text-xs">Q:</code>
          </label>
          <textarea
            id={pasteId}
            data-testid="import.paste"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setEmpty(false);
            }}
            rows={8}
            spellCheck={false}
            placeholder={EXAMPLE}
            aria-invalid={empty || undefined}
            aria-describedby={empty ? `${pasteId}-err` : undefined}
            className="mt-2 min-h-40 w-full flex-1 resize-y rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 font-mono text-sm leading-relaxed placeholder:text-[var(--text-muted)]"
          />
          {empty && (
            <p id={`${pasteId}-err`} role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
              Paste a transcript first.
            </p>
          )}
          <div className="mt-3">
            <button
              type="submit"
              data-testid="import.paste-submit"
              className="rounded-md border border-[var(--border)] bg-[var(--surface)] px-3.5 py-2 text-sm font-medium hover:bg-[var(--surface-muted)]"
            >
              Preview the pasted text
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
