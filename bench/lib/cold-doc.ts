import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { addComment, addReply, ensureSchema, setResolved, setVerdict, type Author } from '../../lib/doc/commentary';
import { ROOT } from './proc';

/** Where generated documents are cached between runs (ignored by git). */
const CACHE_DIR = path.join(ROOT, 'bench', 'tmp');

const WORDS =
  'the minister said that reform of the council remains a priority and that any agreement must respect the charter while the secretary general noted progress on humanitarian access sanctions dialogue and the ceasefire'.split(
    ' ',
  );

/** A deterministic pseudo-random sequence, so that every run benchmarks the same document. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]);
  const text = out.join(' ');
  return text[0].toUpperCase() + text.slice(1) + '.';
}

/**
 * A commentary document of about `bytes` (encoded state), written the way the
 * app writes one: through the accessors of lib/doc/commentary.ts, by a dozen
 * analysts, on a transcript of 2,000 turns: comments on passages with quotes,
 * replies, resolved threads and verdicts.
 */
export function generateCommentary(bytes: number): Uint8Array {
  const next = rng(bytes);
  const analysts: { doc: Y.Doc; author: Author }[] = [];
  const doc = new Y.Doc();
  ensureSchema(doc);
  // Separate client ids per analyst, as in a real session: one Y.Doc per browser, synced into one.
  for (let i = 0; i < 12; i++) {
    const own = new Y.Doc();
    analysts.push({ doc: own, author: { id: `u${i}`, name: `Analyst ${i + 1}`, color: `hsl(${i * 30} 70% 45%)` } });
  }
  const transcriptText = Array.from({ length: 40 }, () => sentence(next, 14)).join(' ');
  let written = 0;
  let round = 0;
  while (written < bytes) {
    for (const { doc: own, author } of analysts) {
      Y.applyUpdate(own, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(own)));
      const before = Y.encodeStateVector(own);
      for (let k = 0; k < 20; k++) {
        const turnId = `t${Math.floor(next() * 2000)}`;
        const start = Math.floor(next() * (transcriptText.length - 200));
        const end = start + 20 + Math.floor(next() * 120);
        const id = addComment(own, {
          turnId,
          target: {
            start,
            end,
            exact: transcriptText.slice(start, end),
            prefix: transcriptText.slice(Math.max(0, start - 32), start),
            suffix: transcriptText.slice(end, end + 32),
          },
          body: sentence(next, 10 + Math.floor(next() * 30)),
          tags: next() < 0.5 ? ['position', next() < 0.5 ? 'evasive' : 'new'] : [],
          author,
          at: 1_700_000_000_000 + round * 1000 + k,
        });
        const replies = Math.floor(next() * 4);
        for (let r = 0; r < replies; r++) addReply(own, id, { body: sentence(next, 6 + Math.floor(next() * 20)), author, at: 1_700_000_000_000 + round * 1000 + k });
        if (next() < 0.2) setResolved(own, id, true, author.id);
        if (next() < 0.3) setVerdict(own, { turnId, userId: author.id, userName: author.name, value: next() < 0.5 ? 'evasive' : 'newsworthy' });
      }
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(own, before));
    }
    round += 1;
    written = Y.encodeStateAsUpdate(doc).byteLength;
  }
  for (const a of analysts) a.doc.destroy();
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** The cached document of about `bytes`, generated on first use; returns its file. */
export function coldDocumentFile(bytes: number): string {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `cold-commentary-${bytes}.bin`);
  if (!fs.existsSync(file)) {
    const state = generateCommentary(bytes);
    fs.writeFileSync(`${file}.tmp`, state);
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}
