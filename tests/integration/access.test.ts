import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';
import { ROLES, type Role } from '../../lib/collab/roles';
import * as importRoute from '../../app/api/sessions/[id]/annotations/import/route';
import * as exportRoute from '../../app/api/sessions/[id]/export/route';
import * as linksRoute from '../../app/api/sessions/[id]/links/route';
import * as rotateRoute from '../../app/api/sessions/[id]/links/[role]/rotate/route';
import * as sessionRoute from '../../app/api/sessions/[id]/route';
import * as sessionsRoute from '../../app/api/sessions/route';
import * as transcriptsRoute from '../../app/api/transcripts/route';
import { awarenessFrame, syncStep1 } from './frames';
import { closeCodeOf, harness, waitFor, type TestClient, type TestServer } from './helpers';

// Each y-websocket provider adds a process 'exit' listener; the role matrix opens a dozen at once.
process.setMaxListeners(50);

const t = harness();
const ORIGIN = 'http://parley.test';
const WRONG_KEY = 'A'.repeat(43);

type Ctx<P> = { params: Promise<P> };
const ctx = <P>(params: P): Ctx<P> => ({ params: Promise.resolve(params) });

/** A request as Next.js would hand it to a route handler, with the key in the query or a Bearer header. */
function request(path: string, init: { method?: string; key?: string | null; bearer?: string; body?: unknown } = {}): Request {
  const url = new URL(path, ORIGIN);
  if (init.key) url.searchParams.set('key', init.key);
  const headers: Record<string, string> = { host: 'parley.test' };
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return new Request(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

async function status(res: Promise<Response>): Promise<number> {
  return (await res).status;
}

/** Reads a room's document as the store has it, after writing whatever is queued. */
async function stored(s: TestServer, room: string): Promise<Y.Doc> {
  await s.services.rooms.flushAll();
  const { updates } = await s.services.store.loadRoom(room);
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

describe('capability links on the websocket', () => {
  it('closes a socket without a key with Unauthorized, with a wrong key with Forbidden, on an unknown session with NotFound', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    expect(await closeCodeOf(`${s.collabUrl}/${id}`)).toBe(CloseCode.Unauthorized);
    expect(await closeCodeOf(`${s.collabUrl}/${id}.brief?key=`)).toBe(CloseCode.Unauthorized);
    expect(await closeCodeOf(`${s.collabUrl}/${id}?key=${WRONG_KEY}`)).toBe(CloseCode.Forbidden);
    expect(await closeCodeOf(`${s.collabUrl}/${id}?key=short`)).toBe(CloseCode.Forbidden);
    const other = await s.createSession();
    expect(await closeCodeOf(`${s.collabUrl}/${id}?key=${other.keys.owner}`)).toBe(CloseCode.Forbidden);
    expect(await closeCodeOf(`${s.collabUrl}/AAAAAAAAAAAAAAAAAAAAAA?key=${keys.owner}`)).toBe(CloseCode.NotFound);

    // The stock client treats these as final and stops, instead of retrying forever.
    const refused = t.client(s.collabUrl, id, { key: WRONG_KEY });
    await waitFor(() => refused.closeCodes.length > 0);
    expect(refused.closeCodes).toEqual([CloseCode.Forbidden]);
    expect(refused.provider.shouldConnect).toBe(false);
    expect(s.services.rooms.stats().connections).toBe(0);
  });

  it('lets each role write exactly the documents it may, and tells read-only clients once', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const writers: Record<string, Role[]> = { [id]: ['owner', 'editor', 'commenter'], [`${id}.brief`]: ['owner', 'editor'] };

    for (const room of [id, `${id}.brief`]) {
      const observer = await t.synced(s.collabUrl, room, { key: keys.owner });
      const byRole = new Map<Role, TestClient>();
      for (const role of ROLES) byRole.set(role, await t.synced(s.collabUrl, room, { key: keys[role] }));
      for (const [role, c] of byRole) {
        c.doc.getMap('m').set(role, 1);
        c.doc.getMap('m').set(`${role}-again`, 2);
      }
      const readOnly = ROLES.filter((r) => !writers[room].includes(r));
      await waitFor(() => writers[room].every((r) => observer.doc.getMap('m').has(r)), 5000, `writers on ${room}`);
      // The notice arrives after the server dropped the update: from then on the drop is certain.
      await waitFor(() => readOnly.every((r) => byRole.get(r)!.denied.length > 0), 5000, `read-only notices on ${room}`);
      for (const role of readOnly) {
        expect(byRole.get(role)!.denied).toHaveLength(1);
        expect(byRole.get(role)!.denied[0]).toMatch(/read-only/);
      }

      const expected = writers[room].flatMap((r) => [r, `${r}-again`]).sort();
      expect(Array.from(observer.doc.getMap('m').keys()).sort()).toEqual(expected);
      expect(Array.from((await stored(s, room)).getMap('m').keys()).sort()).toEqual(expected);
      // Every role, read-only or not, stays connected and in sync with the others.
      for (const c of byRole.values()) expect(c.closeCodes).toEqual([]);
    }
    expect(s.services.metrics.rejected.get('read_only')).toBeGreaterThanOrEqual(3);
  });

  it('never passes a viewer’s update to other clients or the store', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const editor = await t.synced(s.collabUrl, id, { key: keys.editor });
    const viewer = await t.synced(s.collabUrl, id, { key: keys.viewer });
    editor.doc.getText('notes').insert(0, 'editor text');
    await waitFor(() => viewer.doc.getText('notes').toString() === 'editor text');

    viewer.doc.getText('notes').insert(0, 'VIEWER ');
    viewer.doc.getMap('verdicts').set('t2', 'evasive');
    await waitFor(() => viewer.denied.length === 1);
    // A barrier through the server: the editor's next change arrives after anything the viewer's could have caused.
    editor.doc.getMap('barrier').set('x', 1);
    const late = await t.synced(s.collabUrl, id, { key: keys.commenter });
    await waitFor(() => late.doc.getMap('barrier').has('x'));

    for (const doc of [editor.doc, late.doc, await stored(s, id)]) {
      expect(doc.getText('notes').toString()).toBe('editor text');
      expect(doc.getMap('verdicts').size).toBe(0);
    }
  });

  it('closes the sockets opened with a rotated link with LinkRotated, refuses the old key and accepts the new one', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const editorCommentary = await t.synced(s.collabUrl, id, { key: keys.editor });
    const editorBrief = await t.synced(s.collabUrl, `${id}.brief`, { key: keys.editor });
    const commenter = await t.synced(s.collabUrl, id, { key: keys.commenter });

    const rotated = await s.services.api.rotateLink(id, keys.owner, 'editor', ORIGIN);
    expect(rotated.role).toBe('editor');
    expect(rotated.version).toBe(2);
    const newKey = new URL(rotated.url).searchParams.get('key')!;
    expect(newKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newKey).not.toBe(keys.editor);
    expect(rotated.path).toBe(`/sessions/${id}?key=${newKey}`);

    for (const c of [editorCommentary, editorBrief]) {
      await waitFor(() => c.closeCodes.includes(CloseCode.LinkRotated), 5000, 'LinkRotated');
      expect(c.provider.shouldConnect).toBe(false);
    }
    expect(commenter.closeCodes).toEqual([]);
    expect(await closeCodeOf(`${s.collabUrl}/${id}?key=${keys.editor}`)).toBe(CloseCode.Forbidden);
    await expect(s.services.api.getSession(id, keys.editor)).rejects.toMatchObject({ status: 403 });

    const fresh = await t.synced(s.collabUrl, `${id}.brief`, { key: newKey });
    fresh.doc.getText('body').insert(0, 'with the new link');
    await waitFor(async () => (await stored(s, `${id}.brief`)).getText('body').toString() === 'with the new link');
    expect((await s.services.api.getSession(id, newKey)).role).toBe('editor');

    // The owner may replace their own link; the key they used stops working at once.
    const owner = await s.services.api.rotateLink(id, keys.owner, 'owner', ORIGIN);
    await expect(s.services.api.listLinks(id, keys.owner)).rejects.toMatchObject({ status: 403 });
    const ownerKey = new URL(owner.url).searchParams.get('key')!;
    const { links } = await s.services.api.listLinks(id, ownerKey, ORIGIN);
    expect(links.map((l) => [l.role, l.version])).toEqual([
      ['owner', 2],
      ['editor', 2],
      ['commenter', 1],
      ['viewer', 1],
    ]);
  });

  it('stamps name and role on awareness from the connection, and ignores states and removals for ids another connection owns', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const ana = await t.synced(s.collabUrl, id, { key: keys.editor, name: '  Ana \n Ruiz ', uid: 'u-ana' });
    const watcher = await t.synced(s.collabUrl, id, { key: keys.commenter, name: 'Watcher' });
    const anaId = ana.doc.clientID;
    const seen = () => watcher.provider.awareness.getStates().get(anaId) as { user?: Record<string, unknown>; turnId?: string } | undefined;

    ana.provider.awareness.setLocalState({ user: { id: 'u-mallory', name: 'Mallory', color: '#123456' }, turnId: 't3' });
    await waitFor(() => seen()?.turnId === 't3');
    expect(seen()!.user).toEqual({ id: 'u-ana', name: 'Ana Ruiz', role: 'editor', color: '#123456' });

    // A raw client with a viewer link claims Ana's id, then tries to remove it.
    const mallory = t.raw(`${s.collabUrl}/${id}?key=${keys.viewer}&name=Mallory`);
    await mallory.opened;
    const clock = 1000;
    mallory.ws.send(awarenessFrame([{ clientId: anaId, clock, state: { user: { name: 'Ana Ruiz (real)' }, turnId: 't9' } }]));
    mallory.ws.send(awarenessFrame([{ clientId: anaId, clock: clock + 1, state: null }]));
    // Too large: ignored, but its own id is otherwise allowed.
    mallory.ws.send(awarenessFrame([{ clientId: 4242, clock: 1, state: { user: { name: 'big' }, pad: 'x'.repeat(5000) } }]));
    mallory.ws.send(awarenessFrame([{ clientId: 4243, clock: 1, state: { user: { name: 'Ana Ruiz', role: 'owner' } } }]));
    const malloryState = () => watcher.provider.awareness.getStates().get(4243) as { user?: Record<string, unknown> } | undefined;
    await waitFor(() => malloryState() !== undefined, 5000, 'the raw client’s own state');

    expect(malloryState()!.user).toEqual({ name: 'Mallory', role: 'viewer' });
    expect(watcher.provider.awareness.getStates().has(4242)).toBe(false);
    expect(seen()?.turnId).toBe('t3');
    expect(seen()?.user?.name).toBe('Ana Ruiz');
    expect(s.services.metrics.rejected.get('awareness_not_owned')).toBe(2);
    expect(s.services.metrics.rejected.get('awareness_too_large')).toBe(1);
    expect(mallory.code).toBeNull();

    // Once the raw client leaves, its state goes; Ana's stays.
    mallory.ws.close();
    await waitFor(() => !watcher.provider.awareness.getStates().has(4243));
    expect(seen()?.turnId).toBe('t3');
  });

  it('shows a client’s presence again at once when it reconnects after the server removed its state', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const ana = await t.synced(s.collabUrl, id, { key: keys.editor, name: 'Ana' });
    const watcher = await t.synced(s.collabUrl, id, { key: keys.viewer });
    const anaId = ana.doc.clientID;
    ana.provider.awareness.setLocalStateField('turnId', 't2');
    await waitFor(() => watcher.provider.awareness.getStates().has(anaId));

    // The server removes a closed connection's state with a clock above the client's own.
    ana.provider.disconnect();
    await waitFor(() => !watcher.provider.awareness.getStates().has(anaId), 5000, 'the state to be removed');
    // Renaming reconnects with a new URL, as the app does.
    ana.provider.params = { key: keys.editor, name: 'Ana Ruiz' };
    ana.provider.connect();
    await waitFor(() => (watcher.provider.awareness.getStates().get(anaId) as { user?: { name?: string } } | undefined)?.user?.name === 'Ana Ruiz', 3000, 'the state to come back');
  });

  it('lets a read-only connection ask for the document and send presence without the notice', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const viewer = t.raw(`${s.collabUrl}/${id}?key=${keys.viewer}`);
    await viewer.opened;
    viewer.ws.send(syncStep1());
    viewer.ws.send(awarenessFrame([{ clientId: 77, clock: 1, state: { user: { name: 'x' } } }]));
    await waitFor(() => s.services.rooms.stats().connections === 1 && viewer.received.length >= 1);
    // The read-only connection is not asked for its state (no sync step 1 from the server), only answered.
    expect(viewer.received.every((m) => m[0] === 0 && m[1] === 1)).toBe(true);
    expect(viewer.code).toBeNull();
  });
});

describe('capability links over HTTP', () => {
  it('creates a session without a key and answers with the owner’s link', async () => {
    const s = await t.server();
    const [transcript] = await s.services.store.listTranscripts();
    const res = await sessionsRoute.POST(request('/api/sessions', { method: 'POST', body: { transcriptId: transcript.id } }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ transcriptId: transcript.id, role: 'owner' });
    expect(body.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.path).toBe(`/sessions/${body.id}?key=${body.key}`);
    expect(body.url).toBe(`${ORIGIN}${body.path}`);
    expect(res.headers.get('location')).toBe(`/api/sessions/${body.id}`);
    // Only the hash is stored.
    const links = await s.services.store.getLinks(body.id);
    expect(links).toHaveLength(4);
    expect(JSON.stringify(links)).not.toContain(body.key);

    const list = await transcriptsRoute.GET();
    const text = await list.text();
    expect(text).not.toContain(body.id);
    expect((JSON.parse(text) as { transcripts: { id: string; sessionCount: number }[] }).transcripts.find((x) => x.id === transcript.id)?.sessionCount).toBe(1);
  });

  it('answers 404, 401 and 403 on every session route, in that order, and 200 to a key whose role allows it', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
    const routes: { name: string; allowed: Role[]; ok?: number; call: (sessionId: string, key: string | null) => Promise<Response> }[] = [
      { name: 'GET session', allowed: [...ROLES], call: (sid, key) => sessionRoute.GET(request(`/api/sessions/${sid}`, { key }), ctx({ id: sid })) },
      {
        name: 'GET export',
        allowed: [...ROLES],
        call: (sid, key) => exportRoute.GET(request(`/api/sessions/${sid}/export?format=md`, { key }), ctx({ id: sid })),
      },
      { name: 'GET links', allowed: ['owner'], call: (sid, key) => linksRoute.GET(request(`/api/sessions/${sid}/links`, { key }), ctx({ id: sid })) },
      {
        name: 'POST rotate',
        allowed: ['owner'],
        call: (sid, key) => rotateRoute.POST(request(`/api/sessions/${sid}/links/viewer/rotate`, { method: 'POST', key }), ctx({ id: sid, role: 'viewer' })),
      },
      {
        // An empty body gets past the key check and is refused for what it is.
        name: 'POST annotations/import',
        allowed: ['owner', 'editor', 'commenter'],
        ok: 400,
        call: (sid, key) => importRoute.POST(request(`/api/sessions/${sid}/annotations/import`, { method: 'POST', key }), ctx({ id: sid })),
      },
    ];
    for (const route of routes) {
      expect(await status(route.call(unknown, keys.owner)), `${route.name} unknown`).toBe(404);
      expect(await status(route.call(unknown, null)), `${route.name} unknown, no key`).toBe(404);
      const missing = await route.call(id, null);
      expect(missing.status, `${route.name} no key`).toBe(401);
      expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/needs a key/) } });
      const wrong = await route.call(id, WRONG_KEY);
      expect(wrong.status, `${route.name} wrong key`).toBe(403);
      expect(await wrong.json()).toMatchObject({ error: { code: 'forbidden' } });
      for (const role of ROLES) {
        expect(await status(route.call(id, keys[role])), `${route.name} as ${role}`).toBe(route.allowed.includes(role) ? (route.ok ?? 200) : 403);
      }
    }
  });

  it('takes the key from an Authorization header too, and reports the caller’s role', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const res = await sessionRoute.GET(request(`/api/sessions/${id}`, { bearer: keys.commenter }), ctx({ id }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, role: 'commenter' });

    const links = await linksRoute.GET(request(`/api/sessions/${id}/links`, { bearer: keys.owner }), ctx({ id }));
    const body = (await links.json()) as { links: { role: Role; url: string; path: string; version: number }[] };
    expect(body.links.map((l) => l.role)).toEqual([...ROLES]);
    for (const l of body.links) {
      expect(l.path).toBe(`/sessions/${id}?key=${keys[l.role]}`);
      expect(l.url).toBe(`${ORIGIN}${l.path}`);
      expect(l.version).toBe(1);
    }
    const bad = await rotateRoute.POST(request(`/api/sessions/${id}/links/admin/rotate`, { method: 'POST', bearer: keys.owner }), ctx({ id, role: 'admin' }));
    expect(bad.status).toBe(400);
  });

  it('loads the session page only with a key, and with the role it opens', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    await expect(s.services.api.loadSessionForPage(id, null)).rejects.toMatchObject({ status: 401 });
    await expect(s.services.api.loadSessionForPage(id, WRONG_KEY)).rejects.toMatchObject({ status: 403 });
    await expect(s.services.api.loadSessionForPage('nope', keys.owner)).rejects.toMatchObject({ status: 404 });
    const page = await s.services.api.loadSessionForPage(id, keys.viewer);
    expect(page.role).toBe('viewer');
    expect(page.session.id).toBe(id);
    expect(page.transcript.transcript.turns.length).toBeGreaterThan(0);
  });
});
