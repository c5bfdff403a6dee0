import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database the Postgres tests use; CI starts it (see .ci/run). */
export const TEST_DATABASE_URL = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START =
  'Start it with `.ci/run` (which starts PostgreSQL and Redis when they are down) or ' +
  '`pg_ctlcluster --skip-systemctl-redirect <version> main start`, or point PARLEY_TEST_DATABASE_URL at a database this user may create schemas in.';

/** `url` with its password hidden, for error messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Runs one statement on the test database, failing with a message that says how to start it. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${describeUrl(TEST_DATABASE_URL)} (${(err as Error).message}). ${HOW_TO_START}`, { cause: err });
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A schema made for one test (or one test file): a URL whose connections use it, and a way to drop it. */
export interface TestSchema {
  name: string;
  /** TEST_DATABASE_URL with `search_path` set to this schema for every connection. */
  url: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named, empty schema on the test database. */
export async function createTestSchema(prefix = 'parley_test'): Promise<TestSchema> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE SCHEMA "${name}"`);
  const url = new URL(TEST_DATABASE_URL);
  // libpq's `options` reaches the server as startup parameters: every pooled connection gets the search_path.
  url.searchParams.set('options', `-c search_path=${name}`);
  return { name, url: url.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS "${name}" CASCADE`) };
}
