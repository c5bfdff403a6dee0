'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from '@/lib/collab/roles';

interface Link {
  role: Role;
  url: string;
  path: string;
}

/**
 * The owner's share panel: one link per role, copy and rotate. A non-modal
 * popover (Esc or the button closes it); rotating a link disconnects whoever
 * used the old one.
 */
export function SharePanel({ sessionId, accessKey, onClose, onOwnKeyRotated }: {
  sessionId: string;
  accessKey: string;
  onClose: () => void;
  onOwnKeyRotated: (path: string) => void;
}) {
  const [links, setLinks] = useState<Link[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<Role | null>(null);
  const [confirmRotate, setConfirmRotate] = useState<Role | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const headers = { authorization: `Bearer ${accessKey}` };

  const load = useCallback(async () => {
    try {
      const res = await fetch(`/api/sessions/${sessionId}/links`, { headers: { authorization: `Bearer ${accessKey}` } });
      const body = (await res.json().catch(() => null)) as { links?: Link[]; error?: { message?: string } } | null;
      if (!res.ok || !body?.links) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      setLinks(body.links);
    } catch (err) {
      setError(`Could not load the links: ${(err as Error).message}`);
    }
  }, [sessionId, accessKey]);

  useEffect(() => {
    void load();
    ref.current?.focus();
  }, [load]);

  const copy = async (link: Link) => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(link.role);
      window.setTimeout(() => setCopied((r) => (r === link.role ? null : r)), 2000);
    } catch {
      setError('The browser did not allow copying. Select the link and copy it by hand.');
    }
  };

  const rotate = async (role: Role) => {
    setConfirmRotate(null);
    try {
      const res = await fetch(`/api/sessions/${sessionId}/links/${role}/rotate`, { method: 'POST', headers });
      const body = (await res.json().catch(() => null)) as (Link & { error?: { message?: string } }) | null;
      if (!res.ok || !body?.url) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      if (role === 'owner') onOwnKeyRotated(body.path);
      else setLinks((old) => old?.map((l) => (l.role === role ? { role, url: body.url, path: body.path } : l)) ?? null);
    } catch (err) {
      setError(`Could not replace the ${ROLE_LABELS[role].toLowerCase()} link: ${(err as Error).message}`);
    }
  };

  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="region"
      aria-label="Share this session"
      data-testid="share.panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      className="absolute right-0 top-full z-40 mt-2 w-[min(34rem,calc(100vw-1rem))] rounded-xl border border-[var(--border)] bg-[var(--surface)] p-4 text-left shadow-xl"
    >
      <div className="mb-3 flex items-start justify-between gap-4">
        <div>
          <h2 className="text-sm font-semibold">Share this session</h2>
          <p className="text-xs text-[var(--text-muted)]">Anyone with a link joins with that role. Replacing a link disconnects whoever used the old one.</p>
        </div>
        <button type="button" onClick={onClose} className="rounded px-2 py-1 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)]">
          Close
        </button>
      </div>
      {error && (
        <p role="alert" className="mb-2 text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {!links && !error && <p className="text-sm text-[var(--text-muted)]">Loading links…</p>}
      {links && (
        <ul className="space-y-3">
          {links.map((l) => (
            <li key={l.role} data-testid="share.link" data-role={l.role}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="text-sm font-medium">{ROLE_LABELS[l.role]}</span>
                <span className="text-xs text-[var(--text-muted)]">{ROLE_DESCRIPTIONS[l.role]}</span>
              </div>
              <div className="mt-1 flex gap-1.5">
                <input
                  readOnly
                  value={l.url}
                  aria-label={`${ROLE_LABELS[l.role]} link`}
                  onFocus={(e) => e.currentTarget.select()}
                  className="min-w-0 flex-1 rounded-md border border-[var(--border)] bg-[var(--surface-muted)] px-2 py-1 font-mono text-xs"
                />
                <button
                  type="button"
                  onClick={() => void copy(l)}
                  data-testid="share.copy"
                  className="rounded-md border border-[var(--border)] px-2 py-1 text-xs font-medium hover:bg-[var(--surface-muted)]"
                >
                  {copied === l.role ? 'Copied' : 'Copy'}
                </button>
                {confirmRotate === l.role ? (
                  <>
                    <button
                      type="button"
                      onClick={() => void rotate(l.role)}
                      data-testid="share.rotate-confirm"
                      className="rounded-md bg-red-700 px-2 py-1 text-xs font-medium text-white"
                    >
                      Replace
                    </button>
                    <button type="button" onClick={() => setConfirmRotate(null)} className="rounded-md px-2 py-1 text-xs">
                      Keep
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    onClick={() => setConfirmRotate(l.role)}
                    data-testid="share.rotate"
                    className="rounded-md px-2 py-1 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)]"
                    title="Make a new link and disconnect whoever used this one"
                  >
                    New link
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
