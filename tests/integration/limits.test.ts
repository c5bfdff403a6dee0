import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CloseCode, isFatalCloseCode } from '../../lib/collab/close-codes';
import { makeUpdate, syncFrame, updateFrame } from './frames';
import { harness, waitFor } from './helpers';

process.setMaxListeners(50);

const t = harness();

describe('limits and close codes', () => {
  it('closes a connection over its message rate with TooManyMessages; the stock client comes back and nothing is lost', async () => {
    const s = await t.server({ env: { PARLEY_MESSAGES_PER_SECOND: '5', PARLEY_MESSAGE_BURST: '20' } });
    const { id, keys } = await s.createSession();
    const fast = await t.synced(s.collabUrl, id, { key: keys.editor });
    const calm = await t.synced(s.collabUrl, id, { key: keys.editor });
    // Fifty transactions are fifty update messages.
    for (let i = 0; i < 50; i++) fast.doc.getMap('m').set(`k${i}`, i);

    await waitFor(() => fast.closeCodes.includes(CloseCode.TooManyMessages), 5000, 'TooManyMessages');
    expect(isFatalCloseCode(CloseCode.TooManyMessages)).toBe(false);
    expect(fast.provider.shouldConnect).toBe(true);
    // On reconnecting, the sync exchange carries whatever the server dropped.
    await waitFor(() => calm.doc.getMap('m').size === 50, 5000, 'every change to arrive after the reconnect');
    expect(calm.closeCodes).toEqual([]);
    expect(s.services.metrics.rejected.get('rate_limited')).toBeGreaterThanOrEqual(1);
  });

  it('closes a connection over its presence rate with TooManyAwarenessUpdates, and does not count echoes', async () => {
    const s = await t.server({ env: { PARLEY_AWARENESS_PER_SECOND: '2', PARLEY_AWARENESS_BURST: '5' } });
    const { id, keys } = await s.createSession();
    const quiet = await t.synced(s.collabUrl, id, { key: keys.viewer });
    const busy = await t.synced(s.collabUrl, id, { key: keys.editor });
    // Four changes: within the burst. The quiet client echoes each back (stock y-websocket does) at no cost.
    for (let i = 0; i < 4; i++) busy.provider.awareness.setLocalStateField('turnId', `t${i}`);
    await waitFor(() => (quiet.provider.awareness.getStates().get(busy.doc.clientID) as { turnId?: string } | undefined)?.turnId === 't3');
    expect(busy.closeCodes).toEqual([]);

    for (let i = 0; i < 20; i++) busy.provider.awareness.setLocalStateField('turnId', `x${i}`);
    await waitFor(() => busy.closeCodes.includes(CloseCode.TooManyAwarenessUpdates), 5000, 'TooManyAwarenessUpdates');
    expect(isFatalCloseCode(CloseCode.TooManyAwarenessUpdates)).toBe(false);
    expect(quiet.closeCodes).toEqual([]);
    expect(s.services.metrics.rejected.get('awareness_rate_limited')).toBe(1);
  });

  it('refuses a connection beyond the room cap with RoomFull, per room, and lets it in once someone leaves', async () => {
    const s = await t.server({ env: { PARLEY_MAX_CONNECTIONS_PER_ROOM: '2' } });
    const { id, keys } = await s.createSession();
    const first = await t.synced(s.collabUrl, id, { key: keys.editor });
    await t.synced(s.collabUrl, id, { key: keys.editor });
    const third = t.client(s.collabUrl, id, { key: keys.editor });
    await waitFor(() => third.closeCodes.includes(CloseCode.RoomFull), 5000, 'RoomFull');
    expect(isFatalCloseCode(CloseCode.RoomFull)).toBe(false);
    expect(third.provider.shouldConnect).toBe(true);
    // The brief is another room with its own count.
    await t.synced(s.collabUrl, `${id}.brief`, { key: keys.editor });

    first.destroy();
    await third.synced();
    expect(s.services.metrics.refused.get('room_full')).toBeGreaterThanOrEqual(1);
  });

  it('disconnects a connection that stops reading with SlowConnection once its send buffer passes the limit', async () => {
    const s = await t.server({ env: { PARLEY_MAX_SEND_BUFFER_BYTES: '65536' } });
    const { id, keys } = await s.createSession();
    const writer = await t.synced(s.collabUrl, id, { key: keys.editor });
    const healthy = await t.synced(s.collabUrl, id, { key: keys.viewer });
    const slow = t.raw(`${s.collabUrl}/${id}?key=${keys.viewer}`);
    await slow.opened;
    await waitFor(() => s.services.rooms.stats().connections === 3);
    // Stop reading: the kernel buffers fill, then ws's own queue grows.
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();

    const chunk = 'x'.repeat(512 * 1024);
    for (let i = 0; i < 40 && !s.services.metrics.rejected.get('slow_consumer'); i++) {
      writer.doc.getText(`t${i}`).insert(0, chunk);
      await waitFor(() => healthy.doc.getText(`t${i}`).length === chunk.length, 10_000, `chunk ${i}`);
    }
    expect(s.services.metrics.rejected.get('slow_consumer')).toBe(1);
    expect(s.services.rooms.stats().connections).toBe(2);
    socket.resume();
    expect(await slow.closed).toBe(CloseCode.SlowConnection);
    expect(isFatalCloseCode(CloseCode.SlowConnection)).toBe(false);
    expect(writer.closeCodes).toEqual([]);
    expect(healthy.closeCodes).toEqual([]);
  });

  it('closes a connection whose update has more parts than allowed with MessageTooLarge, before applying any of it', async () => {
    const s = await t.server({ env: { PARLEY_MAX_UPDATE_ITEMS: '100' } });
    const { id, keys } = await s.createSession();
    const big = await t.synced(s.collabUrl, id, { key: keys.editor });
    const other = await t.synced(s.collabUrl, id, { key: keys.editor });
    big.doc.transact(() => {
      for (let i = 0; i < 500; i++) big.doc.getMap('m').set(`k${i}`, i);
    });
    await waitFor(() => big.closeCodes.includes(CloseCode.MessageTooLarge), 5000, 'MessageTooLarge');
    expect(big.provider.shouldConnect).toBe(false);
    other.doc.getMap('m').set('small', 1);
    const late = await t.synced(s.collabUrl, id, { key: keys.editor });
    await waitFor(() => late.doc.getMap('m').has('small'));
    expect(late.doc.getMap('m').size).toBe(1);
    expect(s.services.metrics.rejected.get('update_too_complex')).toBe(1);
  });

  it('closes with BadMessage on an empty frame, an unknown type, a client auth message, an unknown sync type or a huge varint', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const keeper = await t.synced(s.collabUrl, id, { key: keys.editor });
    keeper.doc.getMap('m').set('kept', true);
    const frames: Uint8Array[] = [
      new Uint8Array([]),
      new Uint8Array([7]),
      new Uint8Array([2, 0, 3, 65, 66, 67]),
      new Uint8Array([0, 9, 0]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      syncFrame(2, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])),
    ];
    for (const frame of frames) {
      const raw = t.raw(`${s.collabUrl}/${id}?key=${keys.editor}`);
      await raw.opened;
      raw.ws.send(frame);
      expect(await raw.closed, `frame ${Buffer.from(frame).toString('hex')}`).toBe(CloseCode.BadMessage);
    }
    expect(keeper.closeCodes).toEqual([]);
    const late = await t.synced(s.collabUrl, id, { key: keys.viewer });
    expect(late.doc.getMap('m').get('kept')).toBe(true);
  });

  it('closes with BadMessage a connection whose updates pile up waiting for changes that never come', async () => {
    const s = await t.server({ rooms: { maxPendingBytes: 1024 } });
    const { id, keys } = await s.createSession();
    const author = new Y.Doc();
    makeUpdate((d) => d.getText('t').insert(0, 'first'), author);
    // Everything after the first change, without the first change: Yjs must keep it pending.
    const gap = makeUpdate((d) => d.getText('t').insert(5, 'y'.repeat(4000)), author);
    const raw = t.raw(`${s.collabUrl}/${id}?key=${keys.editor}`);
    await raw.opened;
    raw.ws.send(updateFrame(gap));
    expect(await raw.closed).toBe(CloseCode.BadMessage);
    const room = await s.services.rooms.getRoom(id);
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(s.services.metrics.rejected.get('pending_overflow')).toBe(1);
  });

  it('closes every connection with ServerRestarting on shutdown, which the stock client retries', async () => {
    const s = await t.server();
    const { id, keys } = await s.createSession();
    const c = await t.synced(s.collabUrl, id, { key: keys.editor });
    await s.close();
    await waitFor(() => c.closeCodes.includes(CloseCode.ServerRestarting));
    expect(isFatalCloseCode(CloseCode.ServerRestarting)).toBe(false);
    expect(c.provider.shouldConnect).toBe(true);
  });
});
