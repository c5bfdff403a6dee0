import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapabilityLinks, hashToken } from '../../../server/links';
import { SqliteStore } from '../../../server/store/sqlite';
import { sampleTranscript } from './store/store-contract';

describe('CapabilityLinks', () => {
  let dir: string;
  let store: SqliteStore;
  let sessionId: string;
  const secret = 's'.repeat(40);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-links-'));
    store = SqliteStore.open(dir);
    const t = await store.addTranscript({ transcript: sampleTranscript(), source: 'sample' });
    sessionId = (await store.addSession({ transcriptId: t.id, title: 'x' })).id;
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('derives a distinct 256-bit token per role from the secret, and stores only hashes', async () => {
    const links = new CapabilityLinks(store, secret);
    const current = await links.current(sessionId);
    expect(current.map((l) => l.role)).toEqual(['owner', 'editor', 'commenter', 'viewer']);
    for (const l of current) {
      expect(l.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(l.version).toBe(1);
    }
    expect(new Set(current.map((l) => l.token)).size).toBe(4);
    // The same secret derives the same links (the owner can be shown them again); another does not.
    expect(await new CapabilityLinks(store, secret).current(sessionId)).toEqual(current);
    expect(new CapabilityLinks(store, 't'.repeat(40)).token(sessionId, 'owner', 1)).not.toBe(current[0].token);
    const stored = await store.getLinks(sessionId);
    expect(stored.map((l) => l.tokenHash).sort()).toEqual(current.map((l) => hashToken(l.token)).sort());
    expect(JSON.stringify(stored)).not.toContain(current[0].token);
  });

  it('verifies a token to its role, refuses anything else, and refuses the old token after a rotation', async () => {
    const links = new CapabilityLinks(store, secret);
    const current = await links.current(sessionId);
    for (const l of current) expect(await links.verify(sessionId, l.token)).toEqual({ role: l.role, version: 1 });
    expect(await links.verify(sessionId, 'A'.repeat(43))).toBeNull();
    expect(await links.verify(sessionId, '')).toBeNull();
    expect(await links.verify(sessionId, current[0].token + 'x')).toBeNull();

    const viewer = current.find((l) => l.role === 'viewer')!;
    const rotated = await links.rotate(sessionId, 'viewer');
    expect(rotated.version).toBe(2);
    expect(rotated.token).not.toBe(viewer.token);
    expect(await links.verify(sessionId, viewer.token)).toBeNull();
    expect(await links.verify(sessionId, rotated.token)).toEqual({ role: 'viewer', version: 2 });
    expect(links.isStale(sessionId, 'viewer', 1)).toBe(true);
    expect(links.isStale(sessionId, 'viewer', 2)).toBe(false);
    expect(links.isStale(sessionId, 'editor', 1)).toBe(false);
  });
});
