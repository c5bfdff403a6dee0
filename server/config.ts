import path from 'node:path';

/** The server's configuration, read from the environment once at start. */
export interface Config {
  port: number;
  host: string;
  /** Absolute path of the folder holding `parley.db`. */
  dataDir: string;
  /** Largest websocket message accepted; larger ones close the connection with MessageTooLarge. */
  maxMessageBytes: number;
  nodeEnv: 'development' | 'production' | 'test';
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
const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

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
    DEFAULT_MAX_MESSAGE_BYTES,
    1024,
    1024 * 1024 * 1024,
    'a whole number of bytes from 1024 to 1073741824 (default 4194304 = 4 MiB)',
  );

  const rawNodeEnv = env.NODE_ENV?.trim() || 'development';
  if (!(NODE_ENVS as readonly string[]).includes(rawNodeEnv)) {
    throw new ConfigError('NODE_ENV', `NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${rawNodeEnv}".`);
  }

  return { port, host, dataDir, maxMessageBytes, nodeEnv: rawNodeEnv as Config['nodeEnv'] };
}
