import type { Services } from '../services';
import type { StoredSnapshot } from '../store/types';
import { authorize } from './access';
import { badRequest, notFound } from './errors';

/** A snapshot as the API shows it (no room name: it is the session's). */
export interface SnapshotSummary {
  id: string;
  name: string | null;
  kind: 'auto' | 'manual';
  createdAt: string;
}

function summary(s: StoredSnapshot): SnapshotSummary {
  return { id: s.id, name: s.name, kind: s.kind, createdAt: s.createdAt };
}

/** GET /api/sessions/<id>/snapshots: the session's history, newest first. */
export async function listSnapshots(services: Services, id: string, key: string | null): Promise<{ snapshots: SnapshotSummary[] }> {
  const { session } = await authorize(services, id, key, 'read');
  return { snapshots: (await services.store.listSnapshots(session.id)).map(summary) };
}

/** POST /api/sessions/<id>/snapshots `{ name? }`: takes a named snapshot of the commentary now. */
export async function takeSnapshot(services: Services, id: string, key: string | null, body: Record<string, unknown>): Promise<SnapshotSummary> {
  const { session } = await authorize(services, id, key, 'comment');
  const raw = body.name;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') throw badRequest('"name", when given, must be a string.');
  const name = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  if (name.length > 80) throw badRequest('"name" is too long: at most 80 characters.');
  const snap = await services.rooms.withRoom(session.id, (room) => services.history.take(room, name || null));
  if (!snap) throw new Error('The snapshot could not be taken: the room closed while it was being saved. Try again.');
  return summary(snap);
}

/** GET /api/sessions/<id>/snapshots/<snapshotId>: the commentary's Yjs state at that snapshot. */
export async function getSnapshotState(services: Services, id: string, key: string | null, snapshotId: string): Promise<Uint8Array> {
  const { session } = await authorize(services, id, key, 'read');
  const state = /^[A-Za-z0-9_-]{1,64}$/.test(snapshotId) ? await services.store.getSnapshotState(session.id, snapshotId) : null;
  if (!state) throw notFound(`This session has no snapshot "${snapshotId}".`);
  return state;
}
