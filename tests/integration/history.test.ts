import { describe, expect, it } from 'vitest';
import { addComment, addReply, deleteComment, listComments } from '../../lib/doc/commentary';
import { readSnapshot } from '../../lib/doc/history';
import { harness, waitFor } from './helpers';

const ana = { id: 'u_ana', name: 'Ana', color: '#0072B2' };

describe('session history', () => {
  const h = harness();

  it('takes named snapshots on demand, lists them, and serves each state read-only', async () => {
    const server = await h.server();
    const session = await server.createSession();
    const { api } = server.services;
    const client = await h.synced(server.collabUrl, session.id, { key: session.keys.commenter, name: 'Ana' });
    const root = addComment(client.doc, { turnId: 't3', body: 'Thread that will be deleted', author: ana });
    addReply(client.doc, root, { body: 'And its reply', author: ana });
    await waitFor(() => server.services.rooms.stats().pendingWrites === 0 && listComments(client.doc).length === 2, 5000, 'the write');
    await waitFor(async () => listComments(await server.services.rooms.readDocument(session.id)).length === 2, 5000, 'the server to have both');

    const snap = await api.takeSnapshot(session.id, session.keys.commenter, { name: '  Before   the vote ' });
    expect(snap).toMatchObject({ name: 'Before the vote', kind: 'manual' });
    deleteComment(client.doc, root);

    const { snapshots } = await api.listSnapshots(session.id, session.keys.viewer);
    expect(snapshots.map((s) => s.id)).toContain(snap.id);
    const view = readSnapshot(await api.getSnapshotState(session.id, session.keys.viewer, snap.id));
    expect(view.comments.map((c) => c.body)).toEqual(['Thread that will be deleted', 'And its reply']);

    await expect(api.takeSnapshot(session.id, session.keys.viewer, {})).rejects.toMatchObject({ status: 403 });
    await expect(api.listSnapshots(session.id, null)).rejects.toMatchObject({ status: 401 });
    await expect(api.getSnapshotState(session.id, session.keys.viewer, 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(api.takeSnapshot(session.id, session.keys.owner, { name: 42 })).rejects.toMatchObject({ status: 400 });
  });

  it('snapshots a burst of activity once it goes quiet, and a room that unloads with changes', async () => {
    const server = await h.server({ history: { quietMs: 100, minUpdates: 3 }, rooms: { idleUnloadMs: 50 } });
    const session = await server.createSession();
    const client = await h.synced(server.collabUrl, session.id, { key: session.keys.editor, name: 'Ana' });
    for (let i = 0; i < 4; i++) addComment(client.doc, { turnId: 't3', body: `Burst ${i}`, author: ana });
    await waitFor(async () => (await server.services.store.listSnapshots(session.id)).length === 1, 5000, 'an automatic snapshot');
    const [auto] = await server.services.store.listSnapshots(session.id);
    expect(auto).toMatchObject({ kind: 'auto', name: null });
    expect(readSnapshot((await server.services.store.getSnapshotState(session.id, auto.id))!).comments).toHaveLength(4);

    // One more change, below the burst size, then everyone leaves: the unload keeps it.
    addComment(client.doc, { turnId: 't5', body: 'Last word', author: ana });
    await waitFor(async () => listComments(await server.services.rooms.readDocument(session.id)).length === 5, 5000, 'the last change');
    client.destroy();
    await waitFor(async () => (await server.services.store.listSnapshots(session.id)).length === 2, 5000, 'a snapshot on unload');
    const [latest] = await server.services.store.listSnapshots(session.id);
    expect(readSnapshot((await server.services.store.getSnapshotState(session.id, latest.id))!).comments.map((c) => c.body)).toContain('Last word');
  });
});
