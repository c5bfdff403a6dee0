import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, setLogLevel } from '../../../server/log';

describe('log', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    setLogLevel('info');
  });

  it('writes one JSON object per line and redacts keys in fields, query strings and Bearer headers', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const token = 'k'.repeat(43);
    log.info('hello', { room: 'r1', key: token, accessKey: token, url: `/sessions/r1?key=${token}&name=Ana`, header: `Bearer ${token}`, nested: { token } });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    const entry = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'info',
      msg: 'hello',
      room: 'r1',
      key: '[redacted]',
      accessKey: '[redacted]',
      url: '/sessions/r1?key=[redacted]&name=Ana',
      header: 'Bearer [redacted]',
      nested: { token: '[redacted]' },
    });
    expect(lines[0]).not.toContain(token);
  });
});
