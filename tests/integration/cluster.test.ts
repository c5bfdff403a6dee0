import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PostgresStore } from '../../server/store/postgres';
import { createTestSchema, type TestSchema } from '../unit/server/store/pg-test-database';
import {
  connectClient,
  makeTempDir,
  removeTempDir,
  startChildServer,
  startServer,
  waitFor,
  type ChildServer,
  type TestClient,
  type TestSession,
} from './helpers';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

// Two child processes start and sync under whatever else the machine runs: generous, but bounded.
const CLUSTER_TIMEOUT_MS = 90_000;

async function requireRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${(err as Error).message}). Start it with \`.ci/run\` (which starts PostgreSQL and Redis when they are down) or ` +
        '`redis-server --daemonize yes --bind 127.0.0.1`, or set PARLEY_TEST_REDIS_URL.',
      { cause: err },
    );
  } finally {
    redis.disconnect();
  }
}

interface Instance {
  server: ChildServer;
  collabUrl: string;
}

describe('several instances on one PostgreSQL and one Redis', () => {
  let schema: TestSchema | null = null;
  const instances: Instance[] = [];
  const clients: TestClient[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const { server } of instances.splice(0)) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    for (const dir of dirs.splice(0)) removeTempDir(dir);
    await schema?.drop();
    schema = null;
  });

  /** A fresh schema and secret shared by every instance, and a session made through the helper's in-process server. */
  async function cluster(count: number): Promise<{ env: Record<string, string>; session: TestSession; instances: Instance[] }> {
    await requireRedis();
    schema = await createTestSchema('parley_cluster');
    const env = { DATABASE_URL: schema.url, REDIS_URL, PARLEY_SECRET: randomBytes(32).toString('base64url') };
    // Same database and secret as the instances, so the keys it derives open the session on all of them.
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const maker = await startServer({ dataDir, env: { DATABASE_URL: env.DATABASE_URL, PARLEY_SECRET: env.PARLEY_SECRET } });
    let session: TestSession;
    try {
      session = await maker.createSession();
    } finally {
      await maker.close();
    }
    const started = await Promise.all(
      Array.from({ length: count }, async () => {
        const dir = makeTempDir();
        dirs.push(dir);
        const server = await startChildServer(dir, 0, env);
        const instance = { server, collabUrl: `ws://127.0.0.1:${server.port}/collab` };
        instances.push(instance);
        return instance;
      }),
    );
    return { env, session, instances: started };
  }

  function client(instance: Instance, room: string, key: string, name: string): TestClient {
    const c = connectClient(instance.collabUrl, room, { key, name });
    clients.push(c);
    return c;
  }

  it(
    'clients of one room on two instances see each other’s edits and presence live',
    async () => {
      const { session, instances: [one, two] } = await cluster(2);
      const ana = client(one, session.id, session.keys.editor, 'Ana');
      const ben = client(two, session.id, session.keys.editor, 'Ben');
      await Promise.all([ana.synced(), ben.synced()]);

      ana.doc.getText('notes').insert(0, 'from instance one');
      await waitFor(() => ben.doc.getText('notes').toString() === 'from instance one', 5000, 'the edit to cross instances');
      ben.doc.getMap('verdicts').set('t2|ben', 'evasive');
      await waitFor(() => ana.doc.getMap('verdicts').get('t2|ben') === 'evasive', 5000, 'the reply to cross back');

      ana.provider.awareness.setLocalStateField('turn', 't7');
      await waitFor(() => ben.provider.awareness.getStates().get(ana.doc.clientID)?.turn === 't7', 5000, "Ana's presence on instance two");
      // The server stamps the name from Ana's link on her state, whichever instance relays it.
      expect(ben.provider.awareness.getStates().get(ana.doc.clientID)?.user).toMatchObject({ name: 'Ana' });

      ana.provider.disconnect();
      await waitFor(() => !ben.provider.awareness.getStates().has(ana.doc.clientID), 5000, "Ana's presence to go when she leaves");
      expect(Y.encodeStateAsUpdate(ben.doc)).toEqual(Y.encodeStateAsUpdate(ana.doc));
    },
    CLUSTER_TIMEOUT_MS,
  );

  it(
    'an instance that loads the room later gets what another instance has not stored yet',
    async () => {
      const { env, session, instances: [one, two] } = await cluster(2);
      const ana = client(one, session.id, session.keys.editor, 'Ana');
      await ana.synced();
      // Holding EXCLUSIVE on the log blocks inserts but not reads: instance one cannot store
      // Ana's edits, and instance two loads the room without them, so only the peer can supply them.
      const blocker = new pg.Client({ connectionString: env.DATABASE_URL });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE room_updates IN EXCLUSIVE MODE');
        const text = ana.doc.getText('notes');
        for (let i = 0; i < 200; i++) text.insert(text.length, `${i} `);
        const ben = client(two, session.id, session.keys.editor, 'Ben');
        await ben.synced();
        await waitFor(() => ben.doc.getText('notes').toString() === text.toString(), 5000, 'the late instance to catch up');
        const stored = await blocker.query<{ n: string }>('SELECT count(*) AS n FROM room_updates');
        expect(Number(stored.rows[0].n)).toBe(0);
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
    },
    CLUSTER_TIMEOUT_MS,
  );

  it(
    'when one instance is killed, its clients reconnect to the other and nothing is lost',
    async () => {
      const { env, session, instances: [one, two] } = await cluster(2);
      const ana = client(one, session.id, session.keys.editor, 'Ana');
      const ben = client(two, session.id, session.keys.editor, 'Ben');
      await Promise.all([ana.synced(), ben.synced()]);

      const notes = ana.doc.getText('notes');
      notes.insert(0, 'before the crash. ');
      await waitFor(() => ben.doc.getText('notes').toString() === notes.toString(), 5000, 'the first edit on instance two');

      // Written and killed at once: instance one has no time to store it; only Redis and Ana's tab carry it.
      notes.insert(notes.length, 'typed as it died. ');
      one.server.child.kill('SIGKILL');
      await one.server.exited;
      instances.splice(instances.indexOf(one), 1);

      // Offline edits on both sides while Ana's tab has no server.
      notes.insert(notes.length, 'typed offline. ');
      ben.doc.getMap('verdicts').set('t4|ben', 'consistent');

      // What a load balancer does: the next connection lands on a live instance.
      ana.provider.serverUrl = two.collabUrl;
      await waitFor(() => ana.provider.wsconnected && ana.provider.synced, 15_000, 'Ana to reconnect to instance two');
      const expected = 'before the crash. typed as it died. typed offline. ';
      await waitFor(() => ben.doc.getText('notes').toString() === expected, 5000, "Ana's edits on instance two");
      await waitFor(() => ana.doc.getMap('verdicts').get('t4|ben') === 'consistent', 5000, "Ben's edit on Ana's tab");

      // And the shared database has it all once the survivor stops cleanly.
      two.server.child.kill('SIGTERM');
      await two.server.exited;
      instances.splice(instances.indexOf(two), 1);
      const store = await PostgresStore.open(env.DATABASE_URL);
      try {
        const doc = new Y.Doc();
        for (const update of (await store.loadRoom(session.id)).updates) Y.applyUpdate(doc, update);
        expect(doc.getText('notes').toString()).toBe(expected);
        expect(doc.getMap('verdicts').get('t4|ben')).toBe('consistent');
      } finally {
        await store.close();
      }
    },
    CLUSTER_TIMEOUT_MS,
  );
});
