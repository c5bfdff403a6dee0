import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transcript } from '../../../lib/transcript/types';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLE = 'samples/un-sg-lavrov-moscow-2018-06-21.txt';

function runCli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/parse.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('parley parse CLI', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-parse-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the sample transcript as JSON and exits 0', () => {
    const { status, stdout, stderr } = runCli(SAMPLE);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const t = JSON.parse(stdout) as Transcript;
    expect(Object.keys(t)).toEqual(['title', 'date', 'place', 'speakers', 'turns', 'exchanges']);
    expect(t.title).toMatch(/^Secretary-General's remarks at joint press conference/);
    expect(t.date).toBe('2018-06-21');
    expect(t.place).toBe('Moscow, Russian Federation');
    expect(t.speakers.map((s) => [s.label, s.role, s.turns])).toEqual([
      ['SG', 'answers', 4],
      ['Q', 'asks', 3],
    ]);
    expect(t.turns.map((turn) => [turn.id, turn.speaker, turn.kind])).toEqual([
      ['t1', 'SG', 'statement'],
      ['t2', 'Q', 'question'],
      ['t3', 'SG', 'answer'],
      ['t4', 'Q', 'question'],
      ['t5', 'SG', 'answer'],
      ['t6', 'Q', 'question'],
      ['t7', 'SG', 'answer'],
    ]);
    expect(Object.keys(t.turns[0])).toEqual(['id', 'index', 'speaker', 'kind', 'text', 'paragraphs', 'note', 'start']);
    expect(t.turns[1]).toMatchObject({ text: '', note: 'In Russian, on the decision by the United States to leave the Human Rights Council' });
    expect(t.exchanges.map((x) => [x.question, x.answers, x.topic])).toEqual([
      ['t2', ['t3'], 'the decision by the United States to leave the Human Rights Council'],
      ['t4', ['t5'], 'UN reform'],
      ['t6', ['t7'], 'US/Russia cooperation, and on Syria/Pinheiro report'],
    ]);
  });

  it('reports an empty file on one line of stderr and exits 1', () => {
    const file = path.join(dir, 'empty.txt');
    writeFileSync(file, '  \n\n');
    const { status, stdout, stderr } = runCli(file);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`parley parse: ${file}: The file is empty\n`);
  });

  it('reports a binary file and exits 1', () => {
    const file = path.join(dir, 'image.png');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const { status, stdout, stderr } = runCli(file);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^parley parse: .*image\.png: The file looks binary .*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a missing file and exits 1', () => {
    const file = path.join(dir, 'missing.txt');
    const { status, stdout, stderr } = runCli(file);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`parley parse: ${file}: No such file\n`);
  });

  it('reports a directory as unreadable and exits 1', () => {
    const { status, stderr } = runCli(dir);
    expect(status).toBe(1);
    expect(stderr).toBe(`parley parse: ${dir}: This is a directory, not a transcript file\n`);
  });

  it('reports a text without speaker labels and exits 1', () => {
    const file = path.join(dir, 'prose.txt');
    writeFileSync(file, 'Just some prose.\nNo speakers here.\n');
    const { status, stderr } = runCli(file);
    expect(status).toBe(1);
    expect(stderr).toBe(`parley parse: ${file}: No speaker labels found: expected lines such as \`NAME: text\`\n`);
  });

  it('prints usage on stderr and exits 2 without an argument', () => {
    const { status, stdout, stderr } = runCli();
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^usage: npm run --silent parse -- FILE/);
  });
});
