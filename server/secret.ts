import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, MIN_SECRET_LENGTH } from './config';
import { log } from './log';

/** File in the data directory holding the generated secret when PARLEY_SECRET is unset. */
export const SECRET_FILE = 'secret.key';

/**
 * The server secret that capability tokens are derived from: PARLEY_SECRET when
 * set, else the contents of `<dataDir>/secret.key`, generated (32 random bytes,
 * base64url, mode 0600) on first start. The file holds text rather than raw bytes
 * so that its contents can be moved into PARLEY_SECRET and every link stays valid.
 */
export function loadSecret(options: { dataDir: string; secret: string | null }): string {
  if (options.secret) return options.secret;
  const file = path.join(options.dataDir, SECRET_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two servers starting at once on one folder agree on one secret.
    fs.writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
    log.info('generated a server secret for capability links', { file });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      'PARLEY_SECRET',
      `${file} holds ${secret.length} characters; a secret needs at least ${MIN_SECRET_LENGTH}. ` +
        'Restore the file from a backup (every link depends on it), or delete it to generate a new one (every link changes).',
    );
  }
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) log.warn('the server secret file is readable by other users; chmod 600 it', { file, mode: mode.toString(8) });
  } catch {
    // Only a warning; the secret was read.
  }
  return secret;
}
