import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PostgresStore } from '../../../../server/store/postgres';
import { createTestSchema, type TestSchema } from './pg-test-database';
import { storeContract } from './store-contract';

// Not skipped when PostgreSQL is down: createTestSchema fails with how to start it.
storeContract('postgres', () => {
  let schema: TestSchema | null = null;
  return {
    create: async () => {
      schema = await createTestSchema();
      return PostgresStore.open(schema.url);
    },
    reopen: async () => PostgresStore.open(schema!.url),
    cleanup: async () => {
      await schema?.drop();
    },
  };
});

function update(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

function replay(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

describe('PostgresStore with several instances on one database', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  async function twoStores(): Promise<[PostgresStore, PostgresStore, TestSchema]> {
    const schema = await createTestSchema();
    cleanups.push(() => schema.drop());
    // Opened at the same moment: the schema lock must keep their CREATE TABLEs apart.
    const [a, b] = await Promise.all([PostgresStore.open(schema.url), PostgresStore.open(schema.url)]);
    cleanups.push(() => a.close(), () => b.close());
    return [a, b, schema];
  }

  it('creates the schema once when two instances open at the same moment', async () => {
    const [, , schema] = await twoStores();
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema.name],
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['room_history', 'room_snapshots', 'room_updates', 'session_links', 'sessions', 'transcripts']);
    } finally {
      await client.end();
    }
  });

  it('keeps rows written by another instance that the compacting one has not seen', async () => {
    const [a, b] = await twoStores();
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const fromA = update(docA, (d) => d.getMap('m').set('a', 1));
    // B's update reaches the log, but instance A never received it (in flight on Redis, say).
    await b.appendUpdates('room', [update(docB, (d) => d.getMap('m').set('b', 2))]);
    const seqA = await a.appendUpdates('room', [fromA]);

    await a.compactRoom('room', Y.encodeStateAsUpdate(docA), seqA);
    const loaded = await a.loadRoom('room');
    expect(loaded.logLength).toBe(0);
    expect(replay(loaded.updates).getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('keeps a snapshot written by another instance when compacting again', async () => {
    const [a, b] = await twoStores();
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const seqB = await b.appendUpdates('room', [update(docB, (d) => d.getText('t').insert(0, 'from B'))]);
    await b.compactRoom('room', Y.encodeStateAsUpdate(docB), seqB);
    const seqA = await a.appendUpdates('room', [update(docA, (d) => d.getMap('m').set('a', true))]);

    await a.compactRoom('room', Y.encodeStateAsUpdate(docA), seqA);
    const doc = replay((await b.loadRoom('room')).updates);
    expect(doc.getText('t').toString()).toBe('from B');
    expect(doc.getMap('m').get('a')).toBe(true);
  });

  it('serialises compactions of one room from two instances without losing either side', async () => {
    const [a, b] = await twoStores();
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    let seqA = 0;
    let seqB = 0;
    for (let i = 0; i < 20; i++) {
      seqA = await a.appendUpdates('room', [update(docA, (d) => d.getMap('m').set(`a${i}`, i))]);
      seqB = await b.appendUpdates('room', [update(docB, (d) => d.getMap('m').set(`b${i}`, i))]);
    }
    await Promise.all([a.compactRoom('room', Y.encodeStateAsUpdate(docA), seqA), b.compactRoom('room', Y.encodeStateAsUpdate(docB), seqB)]);
    const loaded = await a.loadRoom('room');
    expect(loaded.logLength).toBe(0);
    expect(Object.keys(replay(loaded.updates).getMap('m').toJSON())).toHaveLength(40);
  });
});
