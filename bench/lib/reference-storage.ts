/** Where the reference servers keep documents, shared by their child scripts and the seeding of cold documents. */

/** SQLite file of the Hocuspocus server's Database extension, inside its data folder. */
export const HOCUSPOCUS_DB_FILE = 'hocuspocus.db';
export const HOCUSPOCUS_SCHEMA = `CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)`;
export const HOCUSPOCUS_SQL_FETCH = `SELECT data FROM documents WHERE name = ?`;
export const HOCUSPOCUS_SQL_STORE = `INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data`;

/** File of one document's state for the y-websocket server's cold-load persistence. */
export function yWebsocketStateFile(dir: string, docName: string): string {
  return `${dir}/${docName}.bin`;
}
