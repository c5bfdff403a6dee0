import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, SqliteStore } from '../../../../server/store/sqlite';
import { storeContract } from './store-contract';

storeContract('SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
  return {
    create: async () => SqliteStore.open(dir),
    reopen: async () => SqliteStore.open(dir),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteStore files', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the data directory and parley.db in WAL mode with the schema', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
    dirs.push(parent);
    const dir = path.join(parent, 'nested', 'data');
    const store = SqliteStore.open(dir);
    await store.close();

    const file = path.join(dir, DATABASE_FILE);
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['room_snapshots', 'room_updates', 'session_links', 'sessions', 'transcripts']));
      const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'room_updates'`).pluck().all();
      expect(indexes).toContain('room_updates_by_room');
    } finally {
      db.close();
    }
  });

  it('rejects calls after close instead of crashing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
    dirs.push(dir);
    const store = SqliteStore.open(dir);
    await store.close();
    await expect(store.ping()).rejects.toThrow();
    await store.close();
  });
});
