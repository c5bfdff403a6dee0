/**
 * Structured logging: one JSON object per line on stderr, so that a log collector
 * can parse it and a person can still grep it.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Capability tokens travel in URLs and headers; a log line must never carry one.
const SECRET_KEY = /token|secret|password|authorization|cookie|credential|^key$|^accessKey$/i;
const SECRET_QUERY = /([?&](?:token|access_token|key)=)[^&\s"]*/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

let minLevel: number = LEVELS.info;

/** Sets the lowest level that is written (default `info`). */
export function setLogLevel(level: LogLevel): void {
  minLevel = LEVELS[level];
}

function redactString(value: string): string {
  return value.replace(SECRET_QUERY, '$1[redacted]').replace(BEARER, '$1[redacted]');
}

function serialise(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    const out: LogFields = { name: value.name, message: redactString(value.message) };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.stack) out.stack = redactString(value.stack);
    return out;
  }
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => serialise(item, depth + 1));
  const out: LogFields = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : serialise(item, depth + 1);
  }
  return out;
}

function write(level: LogLevel, msg: string, fields?: LogFields): void {
  if (LEVELS[level] < minLevel) return;
  const entry: LogFields = { level, msg, time: new Date().toISOString() };
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'level' || key === 'msg' || key === 'time') continue;
      entry[key] = SECRET_KEY.test(key) ? '[redacted]' : serialise(value, 0);
    }
  }
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ level, msg, time: entry.time, note: 'fields could not be serialised' });
  }
  process.stderr.write(line + '\n');
}

/** The server's logger: `log.info('listening', { url })`. */
export const log = {
  debug: (msg: string, fields?: LogFields) => write('debug', msg, fields),
  info: (msg: string, fields?: LogFields) => write('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => write('warn', msg, fields),
  error: (msg: string, fields?: LogFields) => write('error', msg, fields),
};
