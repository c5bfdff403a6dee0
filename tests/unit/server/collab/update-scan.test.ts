import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { scanUpdate, UpdateRejected } from '../../../../server/collab/update-scan';

/** A small deterministic PRNG so that failures can be reproduced. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** A document with every kind of content Yjs can encode (except subdocuments), edited at random. */
function randomDoc(rnd: (n: number) => number): Y.Doc {
  const doc = new Y.Doc();
  const arr = doc.getArray('a');
  const txt = doc.getText('t');
  const map = doc.getMap('m');
  const xml = doc.getXmlFragment('x');
  for (let i = 0; i < 25; i++) {
    switch (rnd(8)) {
      case 0:
        arr.insert(rnd(arr.length + 1), [rnd(100), 'str', { o: [1, null, true] }, new Uint8Array([1, 2])]);
        break;
      case 1:
        txt.insert(rnd(txt.length + 1), 'héllo 😀', rnd(2) ? { bold: true } : undefined);
        break;
      case 2:
        if (txt.length > 2) txt.delete(rnd(txt.length - 1), 1);
        break;
      case 3:
        map.set(`k${rnd(5)}`, rnd(2) ? new Y.Map() : new Y.Text('x'));
        break;
      case 4:
        xml.insert(0, [new Y.XmlElement('p'), new Y.XmlText('t')]);
        map.set('hook', new Y.XmlHook('hook'));
        break;
      case 5:
        txt.insertEmbed(0, { image: 'x' });
        break;
      case 6:
        if (arr.length > 0) arr.delete(0, 1);
        break;
      case 7:
        txt.format(0, Math.min(3, txt.length), { italic: true });
        break;
    }
  }
  return doc;
}

/** Whether Yjs itself can decode the update (what the server accepted before this reader). */
function yjsAccepts(update: Uint8Array): boolean {
  try {
    for (const s of Y.decodeUpdate(update).structs) if (!Number.isSafeInteger(s.id.clock) || !Number.isSafeInteger(s.length)) return false;
    return true;
  } catch {
    return false;
  }
}

describe('scanUpdate', () => {
  it('counts exactly the structs and deleted ranges Yjs decodes, on random documents', () => {
    const rnd = prng(1);
    for (let i = 0; i < 100; i++) {
      const update = Y.encodeStateAsUpdate(randomDoc(rnd));
      const decoded = Y.decodeUpdate(update);
      let deletes = 0;
      decoded.ds.clients.forEach((ranges) => (deletes += ranges.length));
      expect(scanUpdate(update, Number.MAX_SAFE_INTEGER)).toEqual({ structs: decoded.structs.length, deletes });
    }
  });

  it('accepts a truncated or mutated update exactly when Yjs can decode it', () => {
    const rnd = prng(2);
    let checked = 0;
    for (let i = 0; i < 60; i++) {
      const update = Y.encodeStateAsUpdate(randomDoc(rnd));
      for (let k = 0; k < 40; k++) {
        const bytes = update.slice(0, rnd(2) ? update.length : rnd(update.length));
        for (let j = rnd(4); j > 0; j--) bytes[rnd(bytes.length)] = rnd(256);
        let scanned = true;
        try {
          scanUpdate(bytes, Number.MAX_SAFE_INTEGER);
        } catch (err) {
          expect(err).toBeInstanceOf(UpdateRejected);
          scanned = false;
        }
        expect(scanned, Buffer.from(bytes).toString('hex')).toBe(yjsAccepts(bytes));
        checked += 1;
      }
    }
    expect(checked).toBe(2400);
  });

  it('refuses an update over the limit from its declared count, before reading its structs', () => {
    // One client with 200,000 GC structs of length 1: [1 client][count][client 1][clock 0] then (info 0, len 1) × 200,000, no deletes.
    const e = encoding.createEncoder();
    for (const n of [1, 200_000, 1, 0]) encoding.writeVarUint(e, n);
    const head = encoding.toUint8Array(e);
    const update = new Uint8Array(head.length + 400_000 + 1);
    update.set(head);
    for (let i = head.length; i < head.length + 400_000; i += 2) update[i + 1] = 1;
    const started = performance.now();
    expect(() => scanUpdate(update, 20_000)).toThrow(expect.objectContaining({ reason: 'too_complex' }));
    // Reading all of it takes tens of ms; refusing on the count takes next to nothing.
    expect(performance.now() - started).toBeLessThan(5);
    expect(scanUpdate(update, 200_000)).toEqual({ structs: 200_000, deletes: 0 });
    expect(Y.decodeUpdate(update).structs).toHaveLength(200_000);
  });

  it('counts deleted ranges against the same limit', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, 1000);
    for (let i = 0; i < 1000; i++) {
      encoding.writeVarUint(e, i * 2);
      encoding.writeVarUint(e, 1);
    }
    const update = encoding.toUint8Array(e);
    expect(scanUpdate(update, 1000)).toEqual({ structs: 0, deletes: 1000 });
    expect(() => scanUpdate(update, 999)).toThrow(expect.objectContaining({ reason: 'too_complex' }));
  });

  it('refuses subdocuments, unknown content and type refs, and numbers beyond 2^53', () => {
    const withSubdoc = new Y.Doc();
    withSubdoc.getMap('m').set('sub', new Y.Doc());
    expect(() => scanUpdate(Y.encodeStateAsUpdate(withSubdoc), 100)).toThrow(/subdocuments/);

    const item = (info: number, tail: number[]) => Uint8Array.from([1, 1, 5, 0, info, 1, 1, 0x61, ...tail, 0]);
    expect(scanUpdate(item(4, [1, 0x62]), 10)).toEqual({ structs: 1, deletes: 0 }); // string "b" in root "a"
    expect(() => scanUpdate(item(11, []), 10)).toThrow(/content ref 11/);
    expect(() => scanUpdate(item(7, [9]), 10)).toThrow(/type ref 9/);
    const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    expect(() => scanUpdate(Uint8Array.from([1, 1, 5, ...huge, 0, 3, 0]), 10)).toThrow(UpdateRejected);
    expect(() => scanUpdate(new Uint8Array([]), 10)).toThrow(UpdateRejected);
  });
});
