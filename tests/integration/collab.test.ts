import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';
import type { StoredRoom } from '../../server/store/types';
import {
  closeCodeOf,
  connectClient,
  createSessionInDir,
  makeTempDir,
  removeTempDir,
  startChildServer,
  startServer,
  syncedClient,
  upgradeStatus,
  waitFor,
  type ChildServer,
  type ClientParams,
  type TestClient,
  type TestServer,
} from './helpers';

// Each y-websocket provider adds a process 'exit' listener; the single-flight test opens a dozen.
process.setMaxListeners(50);

const servers: TestServer[] = [];
const clients: TestClient[] = [];
const children: ChildServer[] = [];
const dirs: string[] = [];

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  if (!options.dataDir) dirs.push(s.dataDir);
  return s;
}

function client(collabUrl: string, room: string, params: ClientParams): TestClient {
  const c = connectClient(collabUrl, room, params);
  clients.push(c);
  return c;
}

async function synced(collabUrl: string, room: string, params: ClientParams): Promise<TestClient> {
  const c = await syncedClient(collabUrl, room, params);
  clients.push(c);
  return c;
}

async function childServer(dataDir: string): Promise<ChildServer> {
  const c = await startChildServer(dataDir);
  children.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const { child } of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

describe('collaboration server', () => {
  it('two stock clients converge on a Y.Map and a Y.Text, and a third joining later gets everything', async () => {
    const s = await server();
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const a = await synced(s.collabUrl, room, editor);
    const b = await synced(s.collabUrl, room, editor);

    a.doc.getMap('verdicts').set('t2', 'evasive');
    a.doc.getText('notes').insert(0, 'Hello ');
    b.doc.getMap('verdicts').set('t4', 'new position');
    b.doc.getText('notes').insert(0, 'World. ');

    const expected = { t2: 'evasive', t4: 'new position' };
    await waitFor(() => a.doc.getMap('verdicts').size === 2 && b.doc.getMap('verdicts').size === 2);
    await waitFor(() => a.doc.getText('notes').toString() === b.doc.getText('notes').toString() && a.doc.getText('notes').length === 13);
    expect(a.doc.getMap('verdicts').toJSON()).toEqual(expected);
    expect(b.doc.getMap('verdicts').toJSON()).toEqual(expected);

    const c = await synced(s.collabUrl, room, editor);
    expect(c.doc.getMap('verdicts').toJSON()).toEqual(expected);
    expect(c.doc.getText('notes').toString()).toBe(a.doc.getText('notes').toString());
  });

  it('keeps the commentary and the brief of a session in separate rooms', async () => {
    const s = await server();
    const { id: session, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const commentary = await synced(s.collabUrl, session, editor);
    const brief = await synced(s.collabUrl, `${session}.brief`, editor);
    commentary.doc.getText('t').insert(0, 'commentary');
    brief.doc.getText('t').insert(0, 'brief');

    const commentary2 = client(s.collabUrl, session, editor);
    const brief2 = client(s.collabUrl, `${session}.brief`, editor);
    await waitFor(() => commentary2.doc.getText('t').toString() === 'commentary');
    await waitFor(() => brief2.doc.getText('t').toString() === 'brief');
  });

  it('shows one client’s awareness at another and removes it when that client’s connection drops', async () => {
    const s = await server();
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const a = await synced(s.collabUrl, room, { ...editor, name: 'Ana' });
    const b = await synced(s.collabUrl, room, editor);

    a.provider.awareness.setLocalStateField('user', { name: 'Ana', turn: 't3' });
    const aId = a.doc.clientID;
    await waitFor(() => (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'Ana');

    // A late joiner receives the states already present when it connects.
    const c = await synced(s.collabUrl, room, editor);
    await waitFor(() => c.provider.awareness.getStates().has(aId));

    // Drop the socket without the client's own goodbye, as a crashed tab would: the server must clean up.
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as WebSocket).terminate();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 5000, 'awareness of the dropped client to go');
    await waitFor(() => !c.provider.awareness.getStates().has(aId));
    expect(s.services.rooms.stats().connections).toBe(2);
  });

  it('serves everything again after a clean restart on the same data directory', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const first = await startServer({ dataDir });
    const { id: room, keys } = await first.createSession();
    const editor = { key: keys.editor };
    const a = await syncedClient(first.collabUrl, room, editor);
    const brief = await syncedClient(first.collabUrl, `${room}.brief`, editor);
    a.doc.getMap('comments').set('c1', { text: 'Compare with the 2017 statement', turn: 't2' });
    a.doc.getText('notes').insert(0, 'Kept across restarts');
    brief.doc.getText('body').insert(0, 'Brief draft');
    // Close as soon as the server has the changes: the shutdown itself must write what is still queued.
    await waitFor(async () => (await first.services.rooms.readDocument(`${room}.brief`)).getText('body').length > 0);
    await waitFor(async () => (await first.services.rooms.readDocument(room)).getText('notes').length > 0);
    await first.close();
    a.destroy();
    brief.destroy();

    const second = await server({ dataDir });
    const fresh = await synced(second.collabUrl, room, editor);
    expect(fresh.doc.getMap('comments').get('c1')).toEqual({ text: 'Compare with the 2017 statement', turn: 't2' });
    expect(fresh.doc.getText('notes').toString()).toBe('Kept across restarts');
    const freshBrief = await synced(second.collabUrl, `${room}.brief`, editor);
    expect(freshBrief.doc.getText('body').toString()).toBe('Brief draft');
  });

  it('keeps acknowledged updates when the server process is killed with SIGKILL', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const { id: room, keys } = await createSessionInDir(dataDir);
    const editor = { key: keys.editor };
    const { child, port } = await childServer(dataDir);
    const url = `ws://127.0.0.1:${port}/collab`;

    const a = await synced(url, room, editor);
    const b = await synced(url, room, editor);
    for (let i = 0; i < 20; i++) a.doc.getText('notes').insert(a.doc.getText('notes').length, `line ${i}\n`);
    a.doc.getMap('verdicts').set('t2', 'consistent');
    await waitFor(() => b.doc.getMap('verdicts').get('t2') === 'consistent' && b.doc.getText('notes').length === a.doc.getText('notes').length);
    const expectedText = a.doc.getText('notes').toString();
    // The write batch goes out within 50 ms; 200 ms is the promise made to the client.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    for (const c of clients.splice(0)) c.destroy();

    const restarted = await server({ dataDir });
    const fresh = await synced(restarted.collabUrl, room, editor);
    expect(fresh.doc.getText('notes').toString()).toBe(expectedText);
    expect(fresh.doc.getMap('verdicts').get('t2')).toBe('consistent');
  });

  it('refuses a malformed room name with 400 before the upgrade, and an unknown session with NotFound after it', async () => {
    const s = await server();
    const { id: room, keys } = await s.createSession();
    expect(await closeCodeOf(`${s.collabUrl}/AAAAAAAAAAAAAAAAAAAAAA?key=${keys.editor}`)).toBe(CloseCode.NotFound);
    expect(await closeCodeOf(`${s.collabUrl}/AAAAAAAAAAAAAAAAAAAAAA.brief`)).toBe(CloseCode.NotFound);
    expect(await upgradeStatus(`${s.collabUrl}/..%2Fetc`)).toBe(400);
    expect(await upgradeStatus(`${s.collabUrl}/${room}.notes`)).toBe(400);
    expect(await upgradeStatus(`${s.collabUrl}/${'a'.repeat(65)}`)).toBe(400);
    expect(await upgradeStatus(`${s.collabUrl}/`)).toBe(400);
    expect(await upgradeStatus(`${s.collabUrl}/${room}?key=${keys.viewer}`)).toBe(101);
    expect(s.services.rooms.stats().rooms).toBeLessThanOrEqual(1);
  });

  it('closes a connection that sends an oversized message with MessageTooLarge while the others keep working', async () => {
    const s = await server({ env: { PARLEY_MAX_MESSAGE_BYTES: '65536' } });
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const big = await synced(s.collabUrl, room, editor);
    const b = await synced(s.collabUrl, room, editor);
    const c = await synced(s.collabUrl, room, editor);
    b.doc.getText('notes').insert(0, 'before ');
    await waitFor(() => c.doc.getText('notes').toString() === 'before ');

    big.doc.getText('notes').insert(0, 'x'.repeat(100_000));
    await waitFor(() => big.closeCodes.includes(CloseCode.MessageTooLarge), 5000, 'close code 4413');
    // 4413 is in the range the stock client treats as final: it must not come back and resend.
    expect(big.provider.shouldConnect).toBe(false);

    b.doc.getText('notes').insert(b.doc.getText('notes').length, 'after');
    await waitFor(() => c.doc.getText('notes').toString() === 'before after');
    const late = await synced(s.collabUrl, room, editor);
    expect(late.doc.getText('notes').toString()).toBe('before after');
  });

  it('closes a connection that sends garbage with BadMessage and leaves the room intact', async () => {
    const s = await server();
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const a = await synced(s.collabUrl, room, editor);
    a.doc.getMap('comments').set('c1', 'intact');

    const raw = new WebSocket(`${s.collabUrl}/${room}?key=${keys.editor}`);
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    await new Promise((resolve) => raw.on('open', resolve));
    // A sync "update" whose payload claims more bytes than it has.
    raw.send(new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5]));
    expect(await closed).toBe(CloseCode.BadMessage);

    const raw2 = new WebSocket(`${s.collabUrl}/${room}?key=${keys.editor}`);
    const closed2 = new Promise<number>((resolve) => raw2.on('close', (code) => resolve(code)));
    await new Promise((resolve) => raw2.on('open', resolve));
    raw2.send(new Uint8Array([9, 9, 9]));
    expect(await closed2).toBe(CloseCode.BadMessage);

    const raw3 = new WebSocket(`${s.collabUrl}/${room}?key=${keys.editor}`);
    const closed3 = new Promise<number>((resolve) => raw3.on('close', (code) => resolve(code)));
    await new Promise((resolve) => raw3.on('open', resolve));
    raw3.send('not binary');
    expect(await closed3).toBe(CloseCode.BadMessage);

    a.doc.getMap('comments').set('c2', 'still syncing');
    const fresh = await synced(s.collabUrl, room, editor);
    await waitFor(() => fresh.doc.getMap('comments').get('c2') === 'still syncing');
    expect(fresh.doc.getMap('comments').get('c1')).toBe('intact');
    expect(a.closeCodes).toEqual([]);
  });

  it('loads a room once for many clients joining while it loads, and each gets the full state', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const first = await startServer({ dataDir });
    const { id: room, keys } = await first.createSession();
    const editor = { key: keys.editor };
    const writer = await syncedClient(first.collabUrl, room, editor);
    for (let i = 0; i < 50; i++) writer.doc.getMap('comments').set(`c${i}`, { text: `comment ${i}` });
    writer.doc.getText('notes').insert(0, 'stored before the restart');
    await waitFor(async () => (await first.services.rooms.readDocument(room)).getText('notes').length > 0);
    await first.close();
    writer.destroy();

    const s = await server({ dataDir });
    const store = s.services.store;
    const realLoad = store.loadRoom.bind(store);
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.loadRoom = async (name: string): Promise<StoredRoom> => {
      loads += 1;
      await gate;
      return realLoad(name);
    };

    const joiners = Array.from({ length: 12 }, () => client(s.collabUrl, room, editor));
    // Every client is connected and has sent its sync step 1 into a room that is still loading.
    await waitFor(() => s.services.rooms.stats().connections === joiners.length && joiners.every((j) => j.provider.wsconnected));
    expect(joiners.some((j) => j.provider.synced)).toBe(false);
    release();

    await waitFor(() => joiners.every((j) => j.provider.synced));
    expect(loads).toBe(1);
    for (const j of joiners) {
      expect(j.doc.getMap('comments').size).toBe(50);
      expect(j.doc.getText('notes').toString()).toBe('stored before the restart');
    }
  });

  it('writes a change made by server-side code to a room nobody is connected to, then unloads it', async () => {
    const s = await server();
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    await s.services.rooms.withRoom(`${room}.brief`, async (live) => {
      await Promise.resolve();
      live.doc.getText('body').insert(0, 'Quote added from the API');
    });
    await waitFor(() => s.services.rooms.stats().rooms === 0, 5000, 'the room to unload');
    const stored = await s.services.rooms.readDocument(`${room}.brief`);
    expect(stored.getText('body').toString()).toBe('Quote added from the API');
    const reader = await synced(s.collabUrl, `${room}.brief`, editor);
    expect(reader.doc.getText('body').toString()).toBe('Quote added from the API');
  });

  it('drops a connection that stops answering pings', async () => {
    const s = await server({ rooms: { heartbeatMs: 50 } });
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const healthy = await synced(s.collabUrl, room, editor);
    const silent = new WebSocket(`${s.collabUrl}/${room}?key=${keys.editor}`, { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.on('open', resolve));
    await waitFor(() => s.services.rooms.stats().connections === 2);

    // No close frame reaches a peer that is gone: the server just ends the TCP connection.
    expect(await closed).toBe(1006);
    await waitFor(() => s.services.rooms.stats().connections === 1);
    expect(healthy.provider.wsconnected).toBe(true);
  });

  it('answers /healthz directly and 404 JSON for anything else without Next', async () => {
    const s = await server();
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', store: 'ok', rooms: 0, connections: 0 });
    expect(typeof body.uptime).toBe('number');

    const other = await fetch(`${s.url}/api/sessions`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'Not found' });
  });

  it('reports 503 on /healthz while the store is failing, keeps the updates and writes them once it recovers', async () => {
    const s = await server({ rooms: { retryDelayMs: 20, maxRetryDelayMs: 50 } });
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const a = await synced(s.collabUrl, room, editor);
    const store = s.services.store;
    const realAppend = store.appendUpdates.bind(store);
    let failing = true;
    store.appendUpdates = async (name, updates) => {
      if (failing) throw new Error('disk full');
      return realAppend(name, updates);
    };

    a.doc.getText('notes').insert(0, 'written while the disk was full');
    await waitFor(() => s.services.rooms.stats().failedWrites >= 2);
    const down = await fetch(`${s.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'error', store: 'error' });

    // The last client leaving must not unload a room with unsaved updates.
    a.destroy();
    await waitFor(() => s.services.rooms.stats().connections === 0);
    expect(s.services.rooms.stats().rooms).toBe(1);

    failing = false;
    await waitFor(() => s.services.rooms.stats().rooms === 0, 5000, 'the room to be written and unloaded');
    const stored = await s.services.rooms.readDocument(room);
    expect(stored.getText('notes').toString()).toBe('written while the disk was full');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('persists and broadcasts changes made on the server side, and compacts a long log', async () => {
    const s = await server({ rooms: { compactThreshold: 10 } });
    const { id: room, keys } = await s.createSession();
    const editor = { key: keys.editor };
    const a = await synced(s.collabUrl, room, editor);
    for (let i = 0; i < 30; i++) a.doc.getMap('m').set(`k${i}`, i);

    await s.services.rooms.withRoom(room, (live) => live.doc.getText('from-server').insert(0, 'added by an HTTP handler'));
    await waitFor(() => a.doc.getText('from-server').toString() === 'added by an HTTP handler');

    await waitFor(async () => (await s.services.store.loadRoom(room)).logLength < 10 && s.services.rooms.stats().pendingWrites === 0);
    const stored = await s.services.store.loadRoom(room);
    const { applyUpdate, Doc } = await import('yjs');
    const copy = new Doc();
    for (const update of stored.updates) applyUpdate(copy, update);
    expect(copy.getMap('m').size).toBe(30);
    expect(copy.getText('from-server').toString()).toBe('added by an HTTP handler');
  });
});
