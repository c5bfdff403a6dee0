import type { ConnectionState } from '@/components/session/use-collab';

const LOOK: Record<ConnectionState['kind'], { label: string; dot: string; hint: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-500', hint: 'Reaching the server.' },
  syncing: { label: 'Syncing…', dot: 'bg-amber-500', hint: 'Exchanging changes with the server.' },
  connected: { label: 'Connected', dot: 'bg-emerald-600', hint: 'Changes reach the others live.' },
  offline: {
    label: 'Offline',
    dot: 'bg-slate-400',
    hint: 'Edits are kept on this device and sent when the connection returns.',
  },
  refused: { label: 'Not connected', dot: 'bg-red-600', hint: '' },
};

/** The honest connection status: connected, syncing, or offline with edits kept on this device. */
export function ConnectionPill({ state }: { state: ConnectionState }) {
  const look = LOOK[state.kind];
  const hint = state.kind === 'refused' ? state.message : look.hint;
  return (
    <span
      role="status"
      data-testid="connection"
      data-state={state.kind}
      title={hint}
      className="inline-flex items-center gap-1.5 rounded-full border border-[var(--border)] bg-[var(--surface)] px-2.5 py-1 text-xs font-medium text-[var(--text)]"
    >
      <span className={`h-2 w-2 rounded-full ${look.dot}`} aria-hidden="true" />
      {look.label}
      {state.kind === 'offline' && <span className="hidden text-[var(--text-muted)] xl:inline">· edits kept on this device</span>}
      <span className="sr-only">. {hint}</span>
    </span>
  );
}
