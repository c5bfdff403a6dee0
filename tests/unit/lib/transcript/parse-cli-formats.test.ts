import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transcript } from '../../../../lib/transcript/types';

/** `npm run --silent parse -- FILE` reads every format by its extension (scripts/parse.ts). */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = 'tests/fixtures/transcripts';

function runCli(file: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/parse.ts', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function parsed(file: string): Transcript {
  const { status, stdout, stderr } = runCli(file);
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return JSON.parse(stdout) as Transcript;
}

describe('the parse CLI on every format', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-cli-formats-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads WebVTT with voice tags', () => {
    const t = parsed(`${FIXTURES}/voices.vtt`);
    expect(t.speakers.map((s) => s.label)).toEqual(['Moderator', 'Director Ruiz', 'Reporter']);
    expect(t.turns[2].start).toBe(14.1);
  });

  it('reads SRT with speaker prefixes', () => {
    const t = parsed(`${FIXTURES}/prefixed.srt`);
    expect(t.title).toBe('prefixed');
    expect(t.exchanges).toHaveLength(2);
  });

  it('reads Markdown with front matter', () => {
    expect(parsed(`${FIXTURES}/interview.md`).title).toBe('Harbour Voices, episode 14: the night inspectors');
  });

  it('reads a Word document as binary', async () => {
    const file = path.join(dir, 'briefing.docx');
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('Briefing on the ferries'),
            new Paragraph({ children: [new TextRun({ text: 'SG:', bold: true }), new TextRun(' Good morning.')] }),
            new Paragraph({ children: [new TextRun({ text: 'Q:', bold: true }), new TextRun(' Why now?')] }),
          ],
        },
      ],
    });
    writeFileSync(file, await Packer.toBuffer(doc));
    const t = parsed(file);
    expect(t.title).toBe('Briefing on the ferries');
    expect(t.turns.map((turn) => [turn.speaker, turn.kind, turn.text])).toEqual([
      ['SG', 'statement', 'Good morning.'],
      ['Q', 'question', 'Why now?'],
    ]);
  });

  it('refuses an unknown extension and a file over the limit, exiting 1 with one line', () => {
    const json = path.join(dir, 'notes.json');
    writeFileSync(json, '{"SG": "hello"}');
    const unknown = runCli(json);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`parley parse: ${json}: ".json" files cannot be read. Parley reads .txt, .md, .vtt, .srt and .docx files.\n`);

    const big = path.join(dir, 'big.txt');
    writeFileSync(big, `SG: ${'word '.repeat(400)}`);
    const tooLarge = runCli(big, { PARLEY_MAX_IMPORT_BYTES: '1024' });
    expect(tooLarge.status).toBe(1);
    expect(tooLarge.stderr).toBe(`parley parse: ${big}: The file is 2 KB, over the 1 KB limit: split it, or ask your administrator to raise PARLEY_MAX_IMPORT_BYTES\n`);
  });

  it('refuses a .docx that is not a Word document', () => {
    const fake = path.join(dir, 'fake.docx');
    writeFileSync(fake, 'SG: Hello.');
    const { status, stderr } = runCli(fake);
    expect(status).toBe(1);
    expect(stderr).toBe(`parley parse: ${fake}: The file is not a Word document (.docx): save it from Word as .docx, or paste its text\n`);
  });
});
