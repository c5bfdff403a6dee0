import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { attachFanout, RedisFanout, type FanoutRoom } from '../../../../server/collab/fanout';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function makeRoom(name: string): FanoutRoom {
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  return { name, doc, awareness };
}

describe('RedisFanout', () => {
  const fanouts: RedisFanout[] = [];
  const rooms: FanoutRoom[] = [];
  // A prefix per test keeps concurrent test runs on one Redis apart.
  let prefix = '';

  afterEach(async () => {
    await Promise.all(fanouts.splice(0).map((f) => f.close()));
    for (const room of rooms.splice(0)) {
      room.awareness.destroy();
      room.doc.destroy();
    }
  });

  async function instance(): Promise<RedisFanout> {
    let fanout: RedisFanout;
    try {
      fanout = await RedisFanout.connect(REDIS_URL, { channelPrefix: prefix, connectTimeoutMs: 2000 });
    } catch (err) {
      throw new Error(`${(err as Error).message} The fan-out tests need Redis at ${REDIS_URL}: start it with \`.ci/run\` or set PARLEY_TEST_REDIS_URL.`);
    }
    fanouts.push(fanout);
    return fanout;
  }

  async function attached(fanout: RedisFanout, name = 'room'): Promise<FanoutRoom> {
    const room = makeRoom(name);
    rooms.push(room);
    await attachFanout(room, fanout);
    return room;
  }

  async function twoInstances(): Promise<[FanoutRoom, FanoutRoom]> {
    prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
    const a = await attached(await instance());
    const b = await attached(await instance());
    return [a, b];
  }

  it('carries updates both ways between instances of one room', async () => {
    const [a, b] = await twoInstances();
    a.doc.getText('t').insert(0, 'from a');
    await waitFor(() => b.doc.getText('t').toString() === 'from a', 'the update to reach b');
    b.doc.getMap('m').set('k', 'from b');
    await waitFor(() => a.doc.getMap('m').get('k') === 'from b', 'the update to reach a');
  });

  it('does not deliver an instance its own messages', async () => {
    const [a, b] = await twoInstances();
    let updates = 0;
    a.doc.on('update', () => (updates += 1));
    a.doc.getText('t').insert(0, 'x');
    await waitFor(() => b.doc.getText('t').toString() === 'x', 'the update to reach b');
    // b's answer path is the same channel: a round trip through it proves a's own message has had time to come back.
    b.doc.getText('u').insert(0, 'y');
    await waitFor(() => a.doc.getText('u').toString() === 'y', 'the reply to reach a');
    expect(updates).toBe(2);
  });

  it('gives a room loaded later on another instance everything it lacks', async () => {
    prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
    const a = await attached(await instance());
    for (let i = 0; i < 50; i++) a.doc.getArray<number>('a').push([i]);
    const late = await instance();
    const b = await attached(late);
    await waitFor(() => b.doc.getArray('a').length === 50, 'the late room to catch up');
    expect(b.doc.getArray('a').toArray()).toEqual(a.doc.getArray('a').toArray());
  });

  it('carries awareness, and hands a late room the states already set', async () => {
    prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
    const a = await attached(await instance());
    // A client of instance a: its state is applied to a's room awareness, as the room does for its connections.
    const client = new awarenessProtocol.Awareness(new Y.Doc());
    client.setLocalState({ user: { name: 'Ana' } });
    awarenessProtocol.applyAwarenessUpdate(a.awareness, awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]), 'conn');
    const b = await attached(await instance());
    await waitFor(() => b.awareness.getStates().has(client.clientID), 'the late room to learn the state');
    expect(b.awareness.getStates().get(client.clientID)).toEqual({ user: { name: 'Ana' } });

    awarenessProtocol.removeAwarenessStates(a.awareness, [client.clientID], null);
    await waitFor(() => !b.awareness.getStates().has(client.clientID), 'the removal to reach b');
    client.destroy();
  });

  it('stops delivering to a room once its doc is destroyed', async () => {
    const [a, b] = await twoInstances();
    let received = 0;
    b.doc.on('update', () => (received += 1));
    b.doc.destroy();
    const c = await attached(fanouts[1]);
    a.doc.getText('t').insert(0, 'after');
    await waitFor(() => c.doc.getText('t').toString() === 'after', 'the reloaded room to receive');
    expect(received).toBe(0);
  });
});
