#!/usr/bin/env node
// `npm test`: typecheck, lint, unit + integration tests (Vitest), end-to-end
// tests (Playwright, real Chromium). Runs every step even when one fails, then
// prints the total over both test runners as its last line:
//   N passed, N failed
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const outDir = path.join(root, 'test-results');
fs.mkdirSync(outDir, { recursive: true });

function run(label, cmd, args) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const results = [];
let passed = 0;
let failed = 0;

results.push(['typecheck', run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])]);
results.push(['lint', run('lint', bin('eslint'), ['--max-warnings', '0', '.'])]);

const vitestJson = path.join(outDir, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
const unitOk = run('unit and integration (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (unitOk || v.numFailedTests ? 0 : 1);
} else {
  failed += 1;
}
results.push(['vitest', unitOk]);

const e2eJson = path.join(outDir, 'e2e.json');
fs.rmSync(e2eJson, { force: true });
const e2eOk = run('end to end (playwright)', bin('playwright'), ['test']);
const p = readJson(e2eJson);
if (p?.stats) {
  passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  failed += (p.stats.unexpected ?? 0) + (e2eOk || p.stats.unexpected ? 0 : 1);
} else {
  failed += 1;
}
results.push(['playwright', e2eOk]);

console.log('\n=== summary ===');
for (const [name, ok] of results) console.log(`${name}: ${ok ? 'ok' : 'FAILED'}`);
const allOk = results.every(([, ok]) => ok);
console.log(`${passed} passed, ${failed} failed`);
process.exit(allOk ? 0 : 1);
