'use client';

import type { Peer } from '@/lib/presence/awareness';
import { Avatar } from '@/components/ui/avatar';

/** Who is in the session: an avatar per analyst, with names for screen readers and on hover. */
export function PresenceBar({ peers }: { peers: Peer[] }) {
  const shown = peers.slice(0, 6);
  return (
    <div className="flex items-center" data-testid="presence">
      <ul className="flex -space-x-1.5" aria-label={`${peers.length} in this session`}>
        {shown.map((p) => (
          <li key={p.user.id} data-testid="presence.peer" data-user-name={p.user.name} className="relative">
            <Avatar
              name={p.user.name}
              color={p.user.color}
              ring
              title={`${p.user.name}${p.isSelf ? ' (you)' : ''}${p.typing ? ' — typing…' : ''}`}
            />
            {p.typing && (
              <span className="absolute -bottom-0.5 -right-0.5 h-2.5 w-2.5 rounded-full bg-amber-400 ring-2 ring-[var(--surface)]" aria-hidden="true" />
            )}
            <span className="sr-only">
              {p.user.name}
              {p.isSelf ? ' (you)' : ''}
              {p.typing ? ', typing' : ''}
            </span>
          </li>
        ))}
      </ul>
      {peers.length > shown.length && <span className="ml-2 text-xs text-[var(--text-muted)]">+{peers.length - shown.length}</span>}
    </div>
  );
}
