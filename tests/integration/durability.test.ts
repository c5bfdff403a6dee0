import { describe, expect, it } from 'vitest';
import { createSessionInDir, freePort, harness, waitFor, type TestClient } from './helpers';

process.setMaxListeners(50);

const t = harness();

/**
 * An analyst who keeps typing: pushes a numbered entry to the commentary every few
 * milliseconds, whether or not the server is there. The stock client keeps the doc
 * across a restart and resyncs on reconnect; every entry must end up everywhere.
 */
function writer(client: TestClient, name: string) {
  const written: string[] = [];
  const timer = setInterval(() => {
    const entry = `${name}-${written.length}`;
    client.doc.getArray<string>('log').push([entry]);
    if (written.length % 5 === 0) client.doc.getText('notes').insert(client.doc.getText('notes').length, `${entry};`);
    written.push(entry);
  }, 4);
  return { written, stop: () => clearInterval(timer) };
}

function entries(client: TestClient): Set<string> {
  return new Set(client.doc.getArray<string>('log').toArray());
}

describe('durability across crashes and restarts', () => {
  it('keeps every update from two clients that keep writing through a SIGKILL, a restart and a clean restart', async () => {
    const dataDir = t.dir();
    const { id, keys } = await createSessionInDir(dataDir);
    const port = await freePort();
    let server = await t.child(dataDir, port);
    const url = `ws://127.0.0.1:${port}/collab`;

    const a = await t.synced(url, id, { key: keys.editor, name: 'Ana' });
    const b = await t.synced(url, id, { key: keys.commenter, name: 'Ben' });
    const wa = writer(a, 'a');
    const wb = writer(b, 'b');
    await waitFor(() => entries(a).has('b-20') && entries(b).has('a-20'), 10_000, 'both writers to be seen by the other');

    // Kill mid-stream: some updates are acknowledged, some in the write batch, some in flight.
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    const offlineFrom = { a: wa.written.length, b: wb.written.length };
    await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, 5000, 'the clients to notice');
    await waitFor(() => wa.written.length > offlineFrom.a + 20 && wb.written.length > offlineFrom.b + 20, 5000, 'offline writes');

    server = await t.child(dataDir, port);
    await waitFor(() => a.provider.synced && b.provider.synced, 15_000, 'both clients to reconnect and resync');
    const reconnectedAt = { a: wa.written.length, b: wb.written.length };
    await waitFor(() => wa.written.length > reconnectedAt.a + 10 && wb.written.length > reconnectedAt.b + 10, 5000, 'writes after the reconnect');
    wa.stop();
    wb.stop();
    const all = [...wa.written, ...wb.written];

    await waitFor(() => entries(a).size === all.length && entries(b).size === all.length, 10_000, 'the clients to converge');
    const fresh = await t.synced(url, id, { key: keys.viewer });
    await waitFor(() => entries(fresh).size === all.length, 5000, 'a fresh client to have everything');
    expect([...entries(fresh)].sort()).toEqual([...all].sort());
    const notes = a.doc.getText('notes').toString();
    expect(fresh.doc.getText('notes').toString()).toBe(notes);
    fresh.destroy();

    // A clean restart (SIGTERM writes everything, closes with ServerRestarting) keeps it all too.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toMatch(/unsaved updates are lost/);
    server = await t.child(dataDir, port);
    const afterClean = await t.synced(url, id, { key: keys.viewer });
    expect([...entries(afterClean)].sort()).toEqual([...all].sort());
    expect(afterClean.doc.getText('notes').toString()).toBe(notes);
    // The writers' clients, still open, resync against it without a difference.
    await waitFor(() => a.provider.synced && b.provider.synced, 15_000, 'the writers to reconnect after the clean restart');
    expect(entries(a).size).toBe(all.length);
  });
});
