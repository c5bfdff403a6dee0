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

/** The export menu: a disclosure listing every format as a download link (the server builds each file). */
export function ExportMenu({ sessionId, accessKey }: { sessionId: string; accessKey: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

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
        </ul>
      )}
    </div>
  );
}
