/**
 * `npx tsx bench/import.ts [SERVER_URL]`: how a 100,000-word transcript fares.
 *
 * Always: generates an invented 100,000-word press conference and times the
 * parser on it (median of several runs, after warm-up). With a server URL
 * (e.g. http://127.0.0.1:3000, a running `npm start`): imports the parsed
 * transcript through POST /api/transcripts, starts a session, opens it in
 * Chromium (playwright-core, /usr/bin/chromium or PARLEY_CHROMIUM_PATH) and
 * measures the time until the first turn is visible and a scroll from the top
 * to the end of the transcript, frame by frame (requestAnimationFrame).
 * Prints a small table.
 */
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { parseTranscriptFile } from '../lib/transcript/detect';
import { parseTranscript } from '../lib/transcript/parse';
import type { Transcript } from '../lib/transcript/types';

const WORDS = 100_000;
const PARSE_RUNS = 9;
const WARM_UPS = 2;

const SENTENCES = [
  'We have worked with every partner in the region on this question for several months.',
  'The inspections will start in the northern ports and then move south along the coast.',
  'I do not think it would be right to give a number before the review is finished.',
  'Our teams met the port authorities twice last week, and they will meet again on Monday.',
  'There is no contradiction between safety and keeping the ferries on time.',
  'The budget for this year is already approved, and it covers the first phase of the work.',
  'Let me be clear: nobody loses a job because of these changes.',
  'We will publish the findings, as we did last year, so that everyone can read them.',
];
const QUESTIONS = [
  'Minister, can you tell us how many inspectors will be hired this year?',
  'What do you say to the unions who call the plan rushed?',
  'Will the ferries run at night during the inspections?',
  'Is there a date for the report on the southern ports?',
];

/** A deterministic, invented joint press conference of about `words` words, in the plain-text conventions. */
export function makeLongTranscript(words: number): string {
  const lines = ['Joint press conference on the harbour inspections', 'Port Avel, Freedonia', '14 April 2026', ''];
  let count = 0;
  let s = 0;
  const para = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(SENTENCES[s++ % SENTENCES.length]);
    return out.join(' ');
  };
  lines.push('MODERATOR: Good morning. The Minister and the Secretary will take your questions.', '');
  for (let x = 0; count < words; x++) {
    const q = `Q: ${QUESTIONS[x % QUESTIONS.length]}`;
    const a1 = `MINISTER HALE: ${para(4)}\n\n${para(3)}${x % 5 === 0 ? '\n\n(Laughter.)' : ''}\n\n${para(4)}`;
    const a2 = `SECRETARY VANCE (as interpreted): ${para(3)}\n\n${para(2)}`;
    lines.push(q, '', a1, '', a2, '');
    if (x % 10 === 9) lines.push('MODERATOR: Next question, please.', '');
    count += lines.slice(-6).join(' ').split(/\s+/).filter(Boolean).length;
  }
  lines.push('(END AT 1:15 P.M.)');
  return lines.join('\n');
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

function timeParse(text: string): { transcript: Transcript; times: number[]; fileTimes: number[] } {
  const bytes = new TextEncoder().encode(text);
  let transcript = parseTranscript(text);
  for (let i = 0; i < WARM_UPS; i++) parseTranscript(text);
  const times: number[] = [];
  const fileTimes: number[] = [];
  for (let i = 0; i < PARSE_RUNS; i++) {
    let t0 = performance.now();
    transcript = parseTranscript(text);
    times.push(performance.now() - t0);
    // The import screen's path: checks, decoding and format detection, then the same parse.
    t0 = performance.now();
    parseTranscriptFile(bytes, 'bench.txt', 64 * 1024 * 1024);
    fileTimes.push(performance.now() - t0);
  }
  return { transcript, times, fileTimes };
}

function chromiumPath(): string | undefined {
  const fromEnv = process.env.PARLEY_CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, json, ms: performance.now() - t0 };
}

interface PageFigures {
  importMs: number;
  sessionMs: number;
  firstTurnMs: number;
  firstContentfulPaintMs: number | null;
  turnsInPage: number;
  scroll: { frames: number; totalMs: number; p50: number; p95: number; max: number; over50: number; height: number };
}

async function measurePage(base: string, transcript: Transcript): Promise<PageFigures> {
  const imported = await post(`${base}/api/transcripts`, { transcript, source: 'bench-100k-words.txt' });
  if (imported.status !== 201) throw new Error(`POST /api/transcripts answered ${imported.status}: ${JSON.stringify(imported.json).slice(0, 500)}`);
  const session = await post(`${base}/api/sessions`, { transcriptId: imported.json.id });
  const path = (session.json.path ?? session.json.url) as string | undefined;
  if (session.status !== 201 || !path) throw new Error(`POST /api/sessions answered ${session.status}: ${JSON.stringify(session.json).slice(0, 500)}`);

  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // tsx compiles the functions passed to page.evaluate with esbuild's `__name` helper, which the page lacks.
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    // A remembered name, so the room opens straight on the transcript.
    await context.addInitScript(() => window.localStorage.setItem('parley:user', JSON.stringify({ id: 'u-bench', name: 'Bench' })));
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(new URL(path, base).toString(), { waitUntil: 'commit' });
    await page.locator('article[data-turn-id]').first().waitFor({ state: 'visible', timeout: 60_000 });
    const firstTurnMs = performance.now() - t0;
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    const turnsInPage = await page.locator('article[data-turn-id]').count();

    const scroll = await page.evaluate(async () => {
      const first = document.querySelector('article[data-turn-id]');
      let el: HTMLElement | null = first?.parentElement ?? null;
      while (el && !(el.scrollHeight > el.clientHeight && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
      const scroller = el ?? (document.scrollingElement as HTMLElement);
      scroller.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const frames: number[] = [];
      const start = performance.now();
      let last = start;
      // A fast, steady scroll: the whole transcript in about 600 frames, whatever its length.
      await new Promise<void>((resolve) => {
        const step = () => {
          const now = performance.now();
          frames.push(now - last);
          last = now;
          const target = scroller.scrollHeight - scroller.clientHeight;
          const stride = Math.max(400, target / 600);
          scroller.scrollTop = Math.min(target, scroller.scrollTop + stride);
          if (scroller.scrollTop >= target - 1 || frames.length > 5000) resolve();
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      return { frames: frames.slice(1), totalMs: performance.now() - start, height: scroller.scrollHeight };
    });
    const f = scroll.frames;
    return {
      importMs: imported.ms,
      sessionMs: session.ms,
      firstTurnMs,
      firstContentfulPaintMs: fcp,
      turnsInPage,
      scroll: {
        frames: f.length,
        totalMs: scroll.totalMs,
        p50: median(f),
        p95: percentile(f, 95),
        max: Math.max(...f),
        over50: f.filter((d) => d > 50).length,
        height: scroll.height,
      },
    };
  } finally {
    await browser.close();
  }
}

function table(rows: Array<[string, string, string]>): string {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`).join('\n');
}

async function main(): Promise<void> {
  const base = process.argv[2]?.replace(/\/$/, '');
  const text = makeLongTranscript(WORDS);
  const words = text.split(/\s+/).filter(Boolean).length;
  const { transcript, times, fileTimes } = timeParse(text);
  const json = JSON.stringify(transcript);

  console.log(
    `\nImport benchmark: ${words.toLocaleString('en')} words, ${(text.length / 1024).toFixed(0)} KB of text → ` +
      `${transcript.turns.length.toLocaleString('en')} turns, ${transcript.exchanges.length} exchanges, ${transcript.speakers.length} speakers, ` +
      `${(json.length / 1024).toFixed(0)} KB as JSON\n`,
  );
  const rows: Array<[string, string, string]> = [
    ['step', 'time', 'notes'],
    ['parse (parseTranscript)', ms(median(times)), `median of ${PARSE_RUNS} runs; min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}`],
    ['read + parse a file (parseTranscriptFile)', ms(median(fileTimes)), `median of ${PARSE_RUNS}; checks, decoding, format detection`],
  ];
  if (base) {
    const p = await measurePage(base, transcript);
    rows.push(
      ['POST /api/transcripts (validate, store)', ms(p.importMs), `${(json.length / 1024).toFixed(0)} KB body`],
      ['POST /api/sessions', ms(p.sessionMs), ''],
      ['session page: first turn visible', ms(p.firstTurnMs), `from navigation; first contentful paint ${p.firstContentfulPaintMs === null ? 'n/a' : ms(p.firstContentfulPaintMs)}; ${p.turnsInPage} turns in the page`],
      ['scroll top → end', ms(p.scroll.totalMs), `${p.scroll.frames} frames over ${(p.scroll.height / 1000).toFixed(0)}k px`],
      ['  frame time p50 / p95 / max', `${ms(p.scroll.p50)}`, `p95 ${ms(p.scroll.p95)}, max ${ms(p.scroll.max)}, ${p.scroll.over50} frames over 50 ms`],
    );
  } else {
    rows.push(['page load and scroll', '—', 'pass a server URL (e.g. http://127.0.0.1:3000) to measure them']);
  }
  console.log(table(rows));
  console.log('');
  if (median(times) > 1000) {
    console.error('parse is over the 1 s budget for 100,000 words');
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
