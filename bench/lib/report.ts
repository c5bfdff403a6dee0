import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './stats';

/** Whether a smaller or a larger value is the better one. */
export type Better = 'lower' | 'higher';

/** One row of the report. */
export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  better: Better;
  /** Decimal places shown. */
  digits?: number;
}

/** Values of every metric for every server, one per repetition. */
export type Measurements = Record<string, Record<string, number[]>>;

/** Records one value. */
export function record(into: Measurements, server: string, key: string, value: number): void {
  ((into[server] ??= {})[key] ??= []).push(value);
}

/** The machine, for the report's header. */
export function machine(): { host: string; cpu: string; cores: number; node: string; kernel: string; memoryGB: number } {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux.
  }
  return { host: os.hostname(), cpu, cores: os.cpus().length, node: process.version, kernel: os.release(), memoryGB: Math.round(os.totalmem() / 2 ** 30) };
}

function format(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Parley ÷ reference, worded so that the reader need not know which way is better:
 * "0.42× ✓" when Parley is at least as good, "1.80× ✗" when not, "≈" within 2 %
 * (a rate that every server delivers in full is no difference).
 */
export function ratio(parley: number, reference: number, better: Better): string {
  if (!Number.isFinite(parley) || !Number.isFinite(reference)) return '–';
  if (reference === 0 && parley === 0) return '= ✓';
  if (reference === 0) return better === 'lower' ? '∞ ✗' : '∞ ✓';
  const r = parley / reference;
  if (Math.abs(r - 1) < 0.02) return `${r.toFixed(2)}× ≈`;
  const ok = better === 'lower' ? parley <= reference : parley >= reference;
  return `${r < 10 ? r.toFixed(2) : r.toFixed(0)}× ${ok ? '✓' : '✗'}`;
}

/** A Markdown table of medians, with Parley's ratio to each other column. */
export function table(defs: MetricDef[], data: Measurements, servers: string[], titles: Record<string, string>): string {
  const references = servers.filter((s) => s !== 'parley');
  const base = titles.parley ?? 'Parley';
  const header = ['Metric', ...servers.map((s) => titles[s] ?? s), ...references.map((r) => `${base} ÷ ${titles[r] ?? r}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const def of defs) {
    const medians = servers.map((s) => median(data[s]?.[def.key] ?? []));
    if (medians.every((m) => !Number.isFinite(m))) continue;
    const parley = medians[servers.indexOf('parley')];
    const cells = medians.map((m) => format(m, def.digits ?? 1));
    const ratios = references.map((r) => ratio(parley, medians[servers.indexOf(r)], def.better));
    lines.push(`| ${def.label} (${def.unit}, ${def.better} is better) | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The median of one metric for one server. */
export function med(data: Measurements, server: string, key: string): number {
  return median(data[server]?.[key] ?? []);
}

/** Writes `<dir>/<date>-<host><suffix>.json` and `.md`; returns their paths. */
export function writeResults(dir: string, suffix: string, json: unknown, markdown: string): { json: string; md: string } {
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const base = path.join(dir, `${date}-${os.hostname().replace(/[^A-Za-z0-9._-]/g, '_')}${suffix}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, markdown.endsWith('\n') ? markdown : markdown + '\n');
  return { json: `${base}.json`, md: `${base}.md` };
}
