/**
 * Parley under benchmark: the real server (createParleyServer, SQLite store on,
 * access control on) without Next.js. Sessions are made through the store and
 * the capability links, exactly as the API makes them.
 */
import fs from 'node:fs';
import { loadConfig } from '../../server/config';
import { createParleyServer } from '../../server/http-server';
import { setLogLevel } from '../../server/log';
import { serveCommands } from '../lib/child';

async function main(): Promise<void> {
  // Warnings and errors still print; info lines are startup noise here.
  setLogLevel('warn');
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' });
  const parley = await createParleyServer({ config, next: false });
  const { store, links, rooms } = parley.services;

  serveCommands({ port: parley.port }, async (command) => {
    switch (command.op) {
      case 'sessions': {
        const count = Number(command.count);
        const [transcript] = await store.listTranscripts();
        if (!transcript) throw new Error('no transcript to make sessions on');
        const sessions: { id: string; key: string }[] = [];
        for (let i = 0; i < count; i++) {
          const session = await store.addSession({ transcriptId: transcript.id, title: `Bench ${i}` });
          const editor = (await links.current(session.id)).find((l) => l.role === 'editor')!;
          sessions.push({ id: session.id, key: editor.token });
        }
        return sessions;
      }
      case 'seed': {
        // Written as the room's snapshot while the room is not loaded: what a restart finds.
        const state = new Uint8Array(fs.readFileSync(String(command.file)));
        await store.compactRoom(String(command.room), state, 0);
        return { bytes: state.byteLength };
      }
      case 'stats':
        return rooms.stats();
      case 'stop':
        await parley.close();
        setImmediate(() => process.exit(0));
        return { ok: true };
      default:
        throw new Error(`unknown command ${command.op}`);
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`parley bench server failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
