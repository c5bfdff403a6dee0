'use client';

import { useEffect, useRef, useState } from 'react';

const FORMATS: { format: string; label: string; hint: string }[] = [
  { format: 'md', label: 'Markdown', hint: 'The brief and every comment, as text' },
  { format: 'html', label: 'Web page', hint: 'Print-ready, opens in any browser' },
  { format: 'docx', label: 'Word', hint: 'For Word and LibreOffice' },
  { format: 'pdf', label: 'PDF', hint: 'Ready to send' },
  { format: 'csv', label: 'CSV', hint: 'One row per comment, for spreadsheets' },
  { format: 'jsonld', label: 'W3C annotations', hint: 'Web Annotation JSON-LD, for other tools' },
];

interface ImportResult {
  imported?: { comments: number; replies: number; highlights: number; verdicts: number };
  skipped?: number;
  error?: { message?: string };
}

/**
 * The export menu: a disclosure listing every format as a download link (the
 * server builds each file), and, for those who may comment, bringing a W3C
 * JSON-LD file of annotations back into the session.
 */
export function ExportMenu({ sessionId, accessKey, canImport, onMessage }: {
  sessionId: string;
  accessKey: string;
  canImport: boolean;
  onMessage: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const importFile = async (file: File) => {
    setOpen(false);
    try {
      const res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/annotations/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessKey}`, 'content-type': 'application/ld+json' },
        body: await file.text(),
      });
      const body = (await res.json().catch(() => null)) as ImportResult | null;
      if (!res.ok || !body?.imported) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      const n = body.imported;
      const count = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
      onMessage(
        `Imported ${count(n.comments, 'comment', 'comments')}, ${count(n.replies, 'reply', 'replies')}, ` +
          `${count(n.highlights, 'highlight', 'highlights')} and ${count(n.verdicts, 'verdict', 'verdicts')}` +
          (body.skipped ? ` (${body.skipped} already here).` : '.'),
      );
    } catch (err) {
      onMessage(`Nothing was imported: ${(err as Error).message}`);
    }
  };

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, [open]);

  return (
    <div
      ref={ref}
      className="relative hidden sm:block"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls="export-menu"
        data-testid="export.open"
        onClick={() => setOpen((v) => !v)}
        className="rounded-md border border-[var(--border)] px-2.5 py-1 text-xs font-medium hover:bg-[var(--surface-muted)]"
      >
        Export
      </button>
      {open && (
        <ul
          id="export-menu"
          className="absolute right-0 top-full z-40 mt-2 w-72 rounded-xl border border-[var(--border)] bg-[var(--surface)] p-1 shadow-xl"
        >
          {FORMATS.map((f) => (
            <li key={f.format}>
              <a
                href={`/api/sessions/${encodeURIComponent(sessionId)}/export?format=${f.format}&key=${encodeURIComponent(accessKey)}`}
                download
                data-testid={`export.${f.format}`}
                onClick={() => setOpen(false)}
                className="flex flex-col rounded-lg px-3 py-2 hover:bg-[var(--surface-muted)] focus-visible:bg-[var(--surface-muted)]"
              >
                <span className="text-sm font-medium">{f.label}</span>
                <span className="text-xs text-[var(--text-muted)]">{f.hint}</span>
              </a>
            </li>
          ))}
          {canImport && (
            <li className="mt-1 border-t border-[var(--border)] pt-1">
              <button
                type="button"
                onClick={() => fileRef.current?.click()}
                data-testid="import.annotations"
                className="flex w-full flex-col rounded-lg px-3 py-2 text-left hover:bg-[var(--surface-muted)] focus-visible:bg-[var(--surface-muted)]"
              >
                <span className="text-sm font-medium">Import annotations…</span>
                <span className="text-xs text-[var(--text-muted)]">Bring back a W3C JSON-LD export; nothing is overwritten</span>
              </button>
            </li>
          )}
        </ul>
      )}
      <input
        ref={fileRef}
        type="file"
        accept=".jsonld,.json,application/ld+json,application/json"
        className="hidden"
        aria-hidden="true"
        tabIndex={-1}
        data-testid="import.annotations-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
    </div>
  );
}
