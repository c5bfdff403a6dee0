import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Transcript } from '../../../../lib/transcript/types';
import type { Store } from '../../../../server/store/types';

/** How a store implementation is made for the contract: `reopen` must see the same data. */
export interface StoreFactory {
  /** A new, empty store. */
  create(): Promise<Store>;
  /** Another store on the same data as the last `create()` (after that one was closed). */
  reopen(): Promise<Store>;
  /** Removes whatever `create()` made. */
  cleanup(): Promise<void>;
}

/** A small transcript in the project's own model, enough for a store to round-trip. */
export function sampleTranscript(title = 'Press conference'): Transcript {
  return {
    title,
    date: '2018-06-21',
    place: 'Moscow',
    speakers: [
      { label: 'SG', name: 'Secretary-General', role: 'answers', turns: 1 },
      { label: 'Q', name: 'Question', role: 'asks', turns: 1 },
    ],
    turns: [
      { id: 't1', index: 0, speaker: 'Q', kind: 'question', text: '', paragraphs: [], note: 'In Russian, on UN reform', start: null },
      { id: 't2', index: 1, speaker: 'SG', kind: 'answer', text: 'We need reform.\n\nNow.', paragraphs: ['We need reform.', 'Now.'], note: null, start: 12.5 },
    ],
    exchanges: [{ id: 'x1', number: 1, question: 't1', answers: ['t2'], topic: 'UN reform' }],
  };
}

function update(change: (doc: Y.Doc) => void, base?: Y.Doc): Uint8Array {
  const doc = base ?? new Y.Doc();
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

function replay(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

/** The behaviour every `Store` implementation must have; run it once per implementation. */
export function storeContract(name: string, makeStore: () => StoreFactory): void {
  describe(`${name} store contract`, () => {
    let factory: StoreFactory;
    let store: Store;

    beforeEach(async () => {
      factory = makeStore();
      store = await factory.create();
    });

    afterEach(async () => {
      await store.close();
      await factory.cleanup();
    });

    it('adds, gets and lists transcripts with a given slug or a random id', async () => {
      const slugged = await store.addTranscript({ id: 'un-sg-2018', transcript: sampleTranscript('A'), source: 'sample' });
      expect(slugged.id).toBe('un-sg-2018');
      expect(slugged.source).toBe('sample');
      expect(Number.isNaN(Date.parse(slugged.createdAt))).toBe(false);

      const random = await store.addTranscript({ transcript: sampleTranscript('B'), source: 'hearing.txt' });
      expect(random.id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
      expect(random.id).not.toBe(slugged.id);

      expect(await store.getTranscript('un-sg-2018')).toEqual(slugged);
      expect((await store.getTranscript(random.id))?.transcript).toEqual(sampleTranscript('B'));
      expect(await store.getTranscript('missing')).toBeNull();
      expect((await store.listTranscripts()).map((t) => t.id)).toEqual([slugged.id, random.id]);
    });

    it('refuses a transcript id that is already taken', async () => {
      await store.addTranscript({ id: 'dup', transcript: sampleTranscript(), source: 'sample' });
      await expect(store.addTranscript({ id: 'dup', transcript: sampleTranscript('other'), source: 'sample' })).rejects.toThrow(/already exists/);
      expect((await store.getTranscript('dup'))?.transcript.title).toBe('Press conference');
    });

    it('adds sessions with unguessable ids and lists them per transcript', async () => {
      const a = await store.addTranscript({ id: 'a', transcript: sampleTranscript(), source: 'sample' });
      const b = await store.addTranscript({ id: 'b', transcript: sampleTranscript(), source: 'sample' });
      const s1 = await store.addSession({ transcriptId: a.id, title: 'Morning review' });
      const s2 = await store.addSession({ transcriptId: b.id, title: 'Afternoon review' });
      const s3 = await store.addSession({ transcriptId: a.id, title: 'Follow-up' });

      for (const s of [s1, s2, s3]) expect(s.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(new Set([s1.id, s2.id, s3.id]).size).toBe(3);
      expect(await store.getSession(s1.id)).toEqual(s1);
      expect(await store.getSession('nope')).toBeNull();
      expect((await store.listSessions()).map((s) => s.id)).toEqual([s1.id, s2.id, s3.id]);
      expect((await store.listSessions(a.id)).map((s) => s.id)).toEqual([s1.id, s3.id]);
      expect(await store.listSessions('unknown')).toEqual([]);
    });

    it('refuses a session on a transcript that does not exist', async () => {
      await expect(store.addSession({ transcriptId: 'ghost', title: 'x' })).rejects.toThrow(/no transcript/);
    });

    it('stores one link per role and session, replaces it on rotation and keeps sessions apart', async () => {
      const t = await store.addTranscript({ id: 't', transcript: sampleTranscript(), source: 'sample' });
      const s1 = await store.addSession({ transcriptId: t.id, title: 'One' });
      const s2 = await store.addSession({ transcriptId: t.id, title: 'Two' });
      expect(await store.getLinks(s1.id)).toEqual([]);

      const hash = (c: string) => c.repeat(64);
      await store.setLink({ sessionId: s1.id, role: 'owner', version: 1, tokenHash: hash('a') });
      await store.setLink({ sessionId: s1.id, role: 'viewer', version: 1, tokenHash: hash('b') });
      await store.setLink({ sessionId: s2.id, role: 'owner', version: 1, tokenHash: hash('c') });
      await store.setLink({ sessionId: s1.id, role: 'viewer', version: 2, tokenHash: hash('d') });

      const links = await store.getLinks(s1.id);
      expect(links).toHaveLength(2);
      expect(links).toEqual(
        expect.arrayContaining([
          { sessionId: s1.id, role: 'owner', version: 1, tokenHash: hash('a') },
          { sessionId: s1.id, role: 'viewer', version: 2, tokenHash: hash('d') },
        ]),
      );
      expect(await store.getLinks(s2.id)).toEqual([{ sessionId: s2.id, role: 'owner', version: 1, tokenHash: hash('c') }]);
      expect(await store.getLinks('unknown')).toEqual([]);
    });

    it('refuses a link for a session that does not exist', async () => {
      await expect(store.setLink({ sessionId: 'ghost', role: 'owner', version: 1, tokenHash: '0'.repeat(64) })).rejects.toThrow(/no session/);
      expect(await store.getLinks('ghost')).toEqual([]);
    });

    it('returns an empty room for a room never written', async () => {
      expect(await store.loadRoom('empty')).toEqual({ updates: [], lastSeq: 0, logLength: 0 });
    });

    it('appends updates and loads them in order, per room', async () => {
      const doc = new Y.Doc();
      const u1 = update((d) => d.getText('t').insert(0, 'a'), doc);
      const u2 = update((d) => d.getText('t').insert(1, 'b'), doc);
      const u3 = update((d) => d.getText('t').insert(2, 'c'), doc);
      const seq1 = await store.appendUpdates('room-1', [u1, u2]);
      await store.appendUpdates('room-2', [update((d) => d.getMap('m').set('k', 1))]);
      const seq2 = await store.appendUpdates('room-1', [u3]);
      expect(seq2).toBeGreaterThan(seq1);

      const loaded = await store.loadRoom('room-1');
      expect(loaded.updates).toEqual([u1, u2, u3]);
      expect(loaded.lastSeq).toBe(seq2);
      expect(loaded.logLength).toBe(3);
      expect(replay(loaded.updates).getText('t').toString()).toBe('abc');
      expect((await store.loadRoom('room-2')).logLength).toBe(1);
    });

    it('compacts into a snapshot and keeps the rows written after it', async () => {
      const doc = new Y.Doc();
      const early = [
        update((d) => d.getText('t').insert(0, 'one '), doc),
        update((d) => d.getText('t').insert(4, 'two '), doc),
      ];
      const upto = await store.appendUpdates('r', early);
      const snapshot = Y.encodeStateAsUpdate(doc);
      const late = update((d) => d.getText('t').insert(8, 'three'), doc);
      const lateSeq = await store.appendUpdates('r', [late]);

      await store.compactRoom('r', snapshot, upto);
      const loaded = await store.loadRoom('r');
      expect(loaded.updates).toEqual([snapshot, late]);
      expect(loaded.logLength).toBe(1);
      expect(loaded.lastSeq).toBe(lateSeq);
      expect(replay(loaded.updates).getText('t').toString()).toBe('one two three');

      // A second compaction replaces the snapshot rather than adding one.
      const full = Y.encodeStateAsUpdate(doc);
      await store.compactRoom('r', full, lateSeq);
      expect(await store.loadRoom('r')).toEqual({ updates: [full], lastSeq: 0, logLength: 0 });
      const after = await store.appendUpdates('r', [update((d) => d.getText('t').insert(0, '> '), doc)]);
      expect(after).toBeGreaterThan(lateSeq);
      expect(replay((await store.loadRoom('r')).updates).getText('t').toString()).toBe('> one two three');
    });

    it('compacts one room without touching another', async () => {
      const other = update((d) => d.getMap('m').set('x', 1));
      await store.appendUpdates('other', [other]);
      const seq = await store.appendUpdates('mine', [update((d) => d.getMap('m').set('y', 2))]);
      await store.compactRoom('mine', update((d) => d.getMap('m').set('y', 2)), seq);
      expect((await store.loadRoom('other')).updates).toEqual([other]);
    });

    it('keeps history snapshots per room, newest first, and returns their state', async () => {
      const first = await store.addSnapshot('s1', { name: null, kind: 'auto', state: new Uint8Array([1, 2, 3]) });
      const second = await store.addSnapshot('s1', { name: 'Before the vote', kind: 'manual', state: new Uint8Array([4, 5]) });
      await store.addSnapshot('s2', { name: null, kind: 'auto', state: new Uint8Array([9]) });
      expect(first.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]+$/);
      const list = await store.listSnapshots('s1');
      expect(list.map((x) => [x.id, x.name, x.kind])).toEqual([
        [second.id, 'Before the vote', 'manual'],
        [first.id, null, 'auto'],
      ]);
      expect(Array.from((await store.getSnapshotState('s1', first.id)) ?? [])).toEqual([1, 2, 3]);
      expect(await store.getSnapshotState('s2', first.id)).toBeNull();
      expect(await store.getSnapshotState('s1', 'missing')).toBeNull();
    });

    it('makes random transcript ids that start with a letter or digit', async () => {
      for (let i = 0; i < 64; i++) {
        const t = await store.addTranscript({ transcript: sampleTranscript(`T${i}`), source: 'x' });
        expect(t.id).toMatch(/^[A-Za-z0-9]/);
      }
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('keeps everything after being closed and opened again', async () => {
      const t = await store.addTranscript({ id: 'kept', transcript: sampleTranscript(), source: 'sample' });
      const s = await store.addSession({ transcriptId: t.id, title: 'Kept session' });
      await store.setLink({ sessionId: s.id, role: 'editor', version: 3, tokenHash: 'e'.repeat(64) });
      const doc = new Y.Doc();
      const u1 = update((d) => d.getText('t').insert(0, 'persisted'), doc);
      const seq = await store.appendUpdates(s.id, [u1]);
      await store.compactRoom(s.id, Y.encodeStateAsUpdate(doc), seq);
      const u2 = update((d) => d.getText('t').insert(9, '!'), doc);
      await store.appendUpdates(s.id, [u2]);
      await store.close();

      store = await factory.reopen();
      expect(await store.getTranscript('kept')).toEqual(t);
      expect(await store.getSession(s.id)).toEqual(s);
      expect(await store.getLinks(s.id)).toEqual([{ sessionId: s.id, role: 'editor', version: 3, tokenHash: 'e'.repeat(64) }]);
      const room = await store.loadRoom(s.id);
      expect(room.logLength).toBe(1);
      expect(replay(room.updates).getText('t').toString()).toBe('persisted!');
    });
  });
}
