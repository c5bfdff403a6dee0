import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { awarenessFrame, makeUpdate, messageType, syncStep1, updateFrame } from './frames';
import { harness, waitFor } from './helpers';

const t = harness();

/** The awareness update inside an awareness frame. */
function awarenessPayload(data: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(data);
  decoding.readVarUint(d);
  return decoding.readVarUint8Array(d);
}

/** The update inside a sync step 2 frame, or null for any other frame. */
function syncStep2Payload(data: Uint8Array): Uint8Array | null {
  const d = decoding.createDecoder(data);
  if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) return null;
  return decoding.readVarUint8Array(d);
}

describe('the server’s hot paths', () => {
  it('sends a burst of presence changes to the others in a few messages, with every latest state', async () => {
    const s = await t.server({ rooms: { awarenessBatchMs: 200 } });
    const { id, keys } = await s.createSession();
    const url = `${s.collabUrl}/${id}?key=${keys.editor}`;
    const sender = t.raw(url);
    const watcher = t.raw(url);
    await Promise.all([sender.opened, watcher.opened]);

    // Four ids (the most one connection may own), each changed five times.
    for (let clock = 1; clock <= 5; clock++) {
      for (let i = 0; i < 4; i++) sender.ws.send(awarenessFrame([{ clientId: 900 + i, clock, state: { turnId: `t${clock}` } }]));
    }
    const states = new awarenessProtocol.Awareness(new Y.Doc());
    const seen = () => watcher.received.filter((m) => messageType(m) === 1);
    await waitFor(() => {
      // Applying a message twice changes nothing (same clocks), so every poll can apply them all.
      for (const m of seen()) awarenessProtocol.applyAwarenessUpdate(states, awarenessPayload(m), 'server');
      return [0, 1, 2, 3].every((i) => (states.getStates().get(900 + i) as { turnId?: string } | undefined)?.turnId === 't5');
    }, 5000, 'every latest state');
    // The first change goes out at once, the other nineteen wait for the batch: not twenty messages.
    expect(seen().length).toBeLessThanOrEqual(3);
    expect(sender.code).toBeNull();
  });

  it('answers every joiner that has nothing with the whole document, and a change shows in the next answer', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const url = `${s.collabUrl}/${id}?key=${keys.editor}`;
    const writer = t.raw(url);
    await writer.opened;
    writer.ws.send(updateFrame(makeUpdate((d) => d.getText('t').insert(0, 'first'))));

    // A raw joiner with an empty document: what the server answers its sync step 1 with.
    const join = async () => {
      const c = t.raw(url);
      await c.opened;
      c.ws.send(syncStep1());
      await waitFor(() => c.received.some((m) => syncStep2Payload(m) !== null), 5000, 'the sync answer');
      c.ws.terminate();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, c.received.map(syncStep2Payload).find((p) => p !== null)!);
      return doc;
    };
    await waitFor(async () => (await join()).getText('t').toString() === 'first', 5000, 'the first write in the answer');
    // Twice in a row: the second answer is the kept one.
    expect((await join()).getText('t').toString()).toBe('first');

    writer.ws.send(updateFrame(makeUpdate((d) => d.getText('u').insert(0, 'second'))));
    await waitFor(async () => (await join()).getText('u').toString() === 'second', 5000, 'the change in a later answer');
    expect((await join()).getText('t').toString()).toBe('first');
  });

  it('answers the first joiner after a restart with the stored document', async () => {
    const dataDir = t.dir();
    let s = await t.server({ dataDir, rooms: { compactThreshold: 1 } });
    const { id, keys } = await s.createSession();
    const writer = t.raw(`${s.collabUrl}/${id}?key=${keys.editor}`);
    await writer.opened;
    const source = new Y.Doc();
    writer.ws.send(updateFrame(makeUpdate((d) => d.getMap('m').set('kept', 'yes'), source)));
    await waitFor(() => s.services.rooms.stats().pendingWrites === 0 && s.services.metrics.compactions > 0, 5000, 'the snapshot');
    writer.ws.terminate();
    await s.close();

    s = await t.server({ dataDir });
    const c = t.raw(`${s.collabUrl}/${id}?key=${keys.editor}`);
    await c.opened;
    c.ws.send(syncStep1());
    await waitFor(() => c.received.some((m) => syncStep2Payload(m) !== null), 5000, 'the sync answer');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, c.received.map(syncStep2Payload).find((p) => p !== null)!);
    expect(doc.getMap('m').get('kept')).toBe('yes');
  });
});
