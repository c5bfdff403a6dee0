import path from 'node:path';

/** Per-connection and per-room bounds of the collaboration server. */
export interface Limits {
  /** Largest websocket message accepted; larger ones close the connection with MessageTooLarge. */
  maxMessageBytes: number;
  /** Structs plus deleted ranges one update may carry; more closes with MessageTooLarge (keeps one message well under 200 ms). */
  maxUpdateItems: number;
  /** Sustained messages per second a connection may send (token bucket)… */
  messagesPerSecond: number;
  /** …and how many it may send at once. */
  messageBurst: number;
  /** Sustained presence (awareness) changes per second a connection may send… */
  awarenessPerSecond: number;
  /** …and how many at once. */
  awarenessBurst: number;
  /** Largest awareness state (JSON bytes) kept; larger states are ignored. */
  maxAwarenessBytes: number;
  /** Connections one room (one document of one session) may hold. */
  maxConnectionsPerRoom: number;
  /** Bytes queued for a connection that has not read them; more disconnects it as too slow. */
  maxSendBufferBytes: number;
}

/** The server's configuration, read from the environment once at start. */
export interface Config {
  port: number;
  host: string;
  /** Absolute path of the folder holding `parley.db` (and `secret.key` when PARLEY_SECRET is unset). */
  dataDir: string;
  /** Largest websocket message accepted (the same as `limits.maxMessageBytes`). */
  maxMessageBytes: number;
  limits: Limits;
  /** PARLEY_SECRET: the key capability tokens are derived from; null means use (or create) `<dataDir>/secret.key`. */
  secret: string | null;
  /** PARLEY_METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** PARLEY_MAX_IMPORT_BYTES: largest transcript file accepted for import (preview or upload), in bytes. */
  maxImportBytes: number;
  nodeEnv: 'development' | 'production' | 'test';
  /** DATABASE_URL: a postgres:// URL to keep everything in PostgreSQL instead of `<dataDir>/parley.db`; null for SQLite. */
  databaseUrl: string | null;
  /** REDIS_URL: a redis:// URL through which several instances share live updates and presence; null for one instance. */
  redisUrl: string | null;
}

/** Thrown when an environment variable has a value the server cannot use. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const NODE_ENVS = ['development', 'production', 'test'] as const;
const MIB = 1024 * 1024;
const DEFAULT_MAX_IMPORT_BYTES = 10 * MIB;

/** The defaults, documented in .env.example. */
export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 4 * MIB,
  maxUpdateItems: 20_000,
  messagesPerSecond: 120,
  messageBurst: 600,
  awarenessPerSecond: 60,
  awarenessBurst: 120,
  maxAwarenessBytes: 4096,
  maxConnectionsPerRoom: 100,
  maxSendBufferBytes: 16 * MIB,
};

/** Shortest PARLEY_SECRET accepted: 32 characters of a random string carry well over 128 bits. */
export const MIN_SECRET_LENGTH = 32;

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, what: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `${name} must be ${what}, got "${raw}".`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `${name} must be ${what}, got "${raw}".`);
  }
  return value;
}

function readCount(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, unit: string): number {
  return readInteger(env, name, fallback, min, max, `a whole number of ${unit} from ${min} to ${max} (default ${fallback})`);
}

/** Reads and validates every setting; throws a ConfigError naming the variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = readInteger(env, 'PORT', 3000, 0, 65535, 'a port number from 0 to 65535 (0 picks a free port)');

  const host = env.HOST?.trim() || '0.0.0.0';
  if (/\s|\/|^:\/\//.test(host)) {
    throw new ConfigError('HOST', `HOST must be a host name or IP address to listen on (e.g. 0.0.0.0 or 127.0.0.1), got "${host}".`);
  }

  const rawDataDir = env.PARLEY_DATA_DIR?.trim() || './data';
  const dataDir = path.resolve(rawDataDir);

  const maxMessageBytes = readInteger(
    env,
    'PARLEY_MAX_MESSAGE_BYTES',
    DEFAULT_LIMITS.maxMessageBytes,
    1024,
    1024 * MIB,
    'a whole number of bytes from 1024 to 1073741824 (default 4194304 = 4 MiB)',
  );
  const limits: Limits = {
    maxMessageBytes,
    maxUpdateItems: readCount(env, 'PARLEY_MAX_UPDATE_ITEMS', DEFAULT_LIMITS.maxUpdateItems, 100, 10_000_000, 'structs and deleted ranges'),
    messagesPerSecond: readCount(env, 'PARLEY_MESSAGES_PER_SECOND', DEFAULT_LIMITS.messagesPerSecond, 1, 1_000_000, 'messages'),
    messageBurst: readCount(env, 'PARLEY_MESSAGE_BURST', DEFAULT_LIMITS.messageBurst, 1, 10_000_000, 'messages'),
    awarenessPerSecond: readCount(env, 'PARLEY_AWARENESS_PER_SECOND', DEFAULT_LIMITS.awarenessPerSecond, 1, 1_000_000, 'updates'),
    awarenessBurst: readCount(env, 'PARLEY_AWARENESS_BURST', DEFAULT_LIMITS.awarenessBurst, 1, 10_000_000, 'updates'),
    maxAwarenessBytes: readCount(env, 'PARLEY_MAX_AWARENESS_BYTES', DEFAULT_LIMITS.maxAwarenessBytes, 256, MIB, 'bytes'),
    maxConnectionsPerRoom: readCount(env, 'PARLEY_MAX_CONNECTIONS_PER_ROOM', DEFAULT_LIMITS.maxConnectionsPerRoom, 1, 100_000, 'connections'),
    maxSendBufferBytes: readCount(env, 'PARLEY_MAX_SEND_BUFFER_BYTES', DEFAULT_LIMITS.maxSendBufferBytes, 64 * 1024, 4096 * MIB, 'bytes'),
  };

  const rawSecret = env.PARLEY_SECRET;
  let secret: string | null = null;
  if (rawSecret !== undefined && rawSecret.trim() !== '') {
    secret = rawSecret.trim();
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        'PARLEY_SECRET',
        `PARLEY_SECRET must be at least ${MIN_SECRET_LENGTH} characters of random text (e.g. \`openssl rand -base64 32\`), got ${secret.length}. ` +
          'Leave it unset to have the server keep a generated one in <PARLEY_DATA_DIR>/secret.key.',
      );
    }
  }

  const rawMetricsToken = env.PARLEY_METRICS_TOKEN?.trim();
  let metricsToken: string | null = null;
  if (rawMetricsToken) {
    if (rawMetricsToken.length < 16 || /\s/.test(rawMetricsToken)) {
      throw new ConfigError('PARLEY_METRICS_TOKEN', 'PARLEY_METRICS_TOKEN must be at least 16 characters without spaces, or unset to leave /metrics open.');
    }
    metricsToken = rawMetricsToken;
  }

  const maxImportBytes = readInteger(
    env,
    'PARLEY_MAX_IMPORT_BYTES',
    DEFAULT_MAX_IMPORT_BYTES,
    1024,
    512 * 1024 * 1024,
    'a whole number of bytes from 1024 to 536870912 (default 10485760 = 10 MiB)',
  );

  const rawNodeEnv = env.NODE_ENV?.trim() || 'development';
  if (!(NODE_ENVS as readonly string[]).includes(rawNodeEnv)) {
    throw new ConfigError('NODE_ENV', `NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${rawNodeEnv}".`);
  }

  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/parley');
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://host:6379');

  return {
    port,
    host,
    dataDir,
    maxMessageBytes,
    limits,
    secret,
    metricsToken,
    maxImportBytes,
    nodeEnv: rawNodeEnv as Config['nodeEnv'],
    databaseUrl,
    redisUrl,
  };
}

/** An optional URL setting with one of `protocols`; the error shows `example`, never the value (it may hold a password). */
function readUrl(env: NodeJS.ProcessEnv, name: string, protocols: string[], example: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let protocol: string | null = null;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // Reported below.
  }
  if (!protocol || !protocols.includes(protocol)) {
    throw new ConfigError(name, `${name} must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL such as ${example}, or unset.`);
  }
  return raw;
}
