import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../../../server/config';
import { loadSecret, SECRET_FILE } from '../../../server/secret';

/** An environment with only these variables. */
const env = (vars: Record<string, string> = {}) => vars as NodeJS.ProcessEnv;

describe('loadConfig: security and limits', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig(env());
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(config.secret).toBeNull();
    expect(config.metricsToken).toBeNull();
  });

  it('reads every limit and refuses values it cannot use, naming the variable', () => {
    const config = loadConfig(env({
      PARLEY_MESSAGES_PER_SECOND: '10',
      PARLEY_MESSAGE_BURST: '20',
      PARLEY_AWARENESS_PER_SECOND: '3',
      PARLEY_AWARENESS_BURST: '6',
      PARLEY_MAX_AWARENESS_BYTES: '2048',
      PARLEY_MAX_CONNECTIONS_PER_ROOM: '7',
      PARLEY_MAX_SEND_BUFFER_BYTES: '1048576',
      PARLEY_MAX_UPDATE_ITEMS: '5000',
    }));
    expect(config.limits).toMatchObject({
      messagesPerSecond: 10,
      messageBurst: 20,
      awarenessPerSecond: 3,
      awarenessBurst: 6,
      maxAwarenessBytes: 2048,
      maxConnectionsPerRoom: 7,
      maxSendBufferBytes: 1048576,
      maxUpdateItems: 5000,
    });
    for (const [name, value] of [
      ['PARLEY_MESSAGES_PER_SECOND', '0'],
      ['PARLEY_MAX_CONNECTIONS_PER_ROOM', 'many'],
      ['PARLEY_MAX_SEND_BUFFER_BYTES', '10'],
      ['PARLEY_MAX_UPDATE_ITEMS', '-1'],
    ]) {
      expect(() => loadConfig(env({ [name]: value }))).toThrow(expect.objectContaining({ variable: name }));
    }
  });

  it('requires PARLEY_SECRET to be at least 32 characters, and PARLEY_METRICS_TOKEN 16', () => {
    expect(() => loadConfig(env({ PARLEY_SECRET: 'too-short' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ PARLEY_SECRET: 'too-short' }))).toThrow(/at least 32 characters/);
    expect(loadConfig(env({ PARLEY_SECRET: 'x'.repeat(32) })).secret).toBe('x'.repeat(32));
    expect(() => loadConfig(env({ PARLEY_METRICS_TOKEN: 'short' }))).toThrow(expect.objectContaining({ variable: 'PARLEY_METRICS_TOKEN' }));
    expect(loadConfig(env({ PARLEY_METRICS_TOKEN: 'm'.repeat(16) })).metricsToken).toBe('m'.repeat(16));
  });
});

describe('loadSecret', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-secret-'));
    dirs.push(dir);
    return dir;
  };

  it('generates a 256-bit secret in secret.key with mode 0600 on first start and reads it afterwards', () => {
    const dir = tempDir();
    const first = loadSecret({ dataDir: dir, secret: null });
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = path.join(dir, SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecret({ dataDir: dir, secret: null })).toBe(first);
  });

  it('prefers PARLEY_SECRET and refuses a secret file that is too short', () => {
    const dir = tempDir();
    expect(loadSecret({ dataDir: dir, secret: 'y'.repeat(32) })).toBe('y'.repeat(32));
    expect(fs.existsSync(path.join(dir, SECRET_FILE))).toBe(false);
    fs.writeFileSync(path.join(dir, SECRET_FILE), 'short\n', { mode: 0o600 });
    expect(() => loadSecret({ dataDir: dir, secret: null })).toThrow(/at least 32/);
  });
});
