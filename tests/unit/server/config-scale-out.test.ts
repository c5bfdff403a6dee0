import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

const env = (vars: Record<string, string> = {}) => vars as NodeJS.ProcessEnv;

describe('loadConfig: running several instances', () => {
  it('keeps SQLite and a single instance when DATABASE_URL and REDIS_URL are unset or blank', () => {
    expect(loadConfig(env())).toMatchObject({ databaseUrl: null, redisUrl: null });
    expect(loadConfig(env({ DATABASE_URL: ' ', REDIS_URL: '' }))).toMatchObject({ databaseUrl: null, redisUrl: null });
  });

  it('reads a postgres and a redis URL', () => {
    const config = loadConfig(env({ DATABASE_URL: 'postgresql://parley:pw@db:5432/parley', REDIS_URL: 'rediss://cache:6380/0' }));
    expect(config.databaseUrl).toBe('postgresql://parley:pw@db:5432/parley');
    expect(config.redisUrl).toBe('rediss://cache:6380/0');
  });

  it('refuses another kind of URL, naming the variable and never echoing the value (it may hold a password)', () => {
    for (const [variable, value] of [
      ['DATABASE_URL', 'mysql://root:hunter2@db/parley'],
      ['DATABASE_URL', 'not a url hunter2'],
      ['REDIS_URL', 'http://hunter2@cache:6379'],
    ] as const) {
      let error: unknown;
      try {
        loadConfig(env({ [variable]: value }));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as ConfigError).message).toContain(variable);
      expect((error as ConfigError).message).not.toContain('hunter2');
    }
  });
});
