import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (the servers run from there so that `tsx` resolves). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let tasksetPath: string | null | undefined;

/** The path of `taskset`, or null when this machine has none. */
export function taskset(): string | null {
  if (tasksetPath !== undefined) return tasksetPath;
  const found = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' });
  tasksetPath = found.status === 0 ? found.stdout.trim() || null : null;
  return tasksetPath;
}

/** Pins this process (every thread) to `cpu`; false when taskset is missing or refuses. */
export function pinSelf(cpu: number): boolean {
  const bin = taskset();
  if (!bin) return false;
  return spawnSync(bin, ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU seconds a process has used so far. /proc/<pid>/stat counts in clock ticks
 * (10 ms here), too coarse for a window of a few seconds at low load; the
 * scheduler's per-thread run time (/proc/<pid>/task/<tid>/schedstat, nanoseconds)
 * is the same quantity at full resolution, so it is used when the kernel has it.
 */
export function cpuSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    if (Number.isFinite(ns) && ns > 0) return ns / 1e9;
  } catch {
    // No schedstat (or a thread ended while reading): fall back to the tick counters.
  }
  return statCpuSeconds(pid);
}

/** User plus system CPU seconds from /proc/<pid>/stat (utime + stime), in clock ticks. */
export function statCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** A server started as its own process, answering commands over stdin/stdout (see bench/lib/child.ts). */
export class ServerProcess {
  readonly pid: number;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;
  readonly exit: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    lines: readline.Interface,
  ) {
    this.pid = child.pid!;
    lines.on('line', (line) => {
      let message: { id?: number; result?: unknown; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exited = true;
        for (const waiter of this.pending.values()) waiter.reject(new Error(`server exited (${code}) before answering`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  /**
   * Starts `script` (a .ts file under bench/) with tsx, pinned to `cpu` when taskset
   * exists; resolves once it prints its ready line.
   */
  static async start(script: string, options: { env?: Record<string, string>; cpu?: number | null; label?: string } = {}): Promise<ServerProcess> {
    // BENCH_NODE_ARGS adds flags for a diagnosis (e.g. --cpu-prof); the benchmark itself runs without.
    const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const node = [process.execPath, '--expose-gc', ...extra, '--import', 'tsx', path.join(ROOT, script)];
    const bin = options.cpu === null || options.cpu === undefined ? null : taskset();
    const argv = bin ? [bin, '-c', String(options.cpu), ...node] : node;
    const child = spawn(argv[0], argv.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${options.label ?? script}] ${chunk}`);
    });
    const lines = readline.createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s:\n${stderr}`)), 30_000);
      const onLine = (line: string) => {
        try {
          const message = JSON.parse(line) as { ready?: boolean; port?: number };
          if (message.ready) {
            clearTimeout(timer);
            lines.off('line', onLine);
            resolve(message.port!);
          }
        } catch {
          // Not a control line.
        }
      };
      lines.on('line', onLine);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited with ${code} before it was ready:\n${stderr}`));
      });
    });
    return new ServerProcess(child, port, lines);
  }

  /** Sends a command and waits for its answer. */
  command<T = unknown>(op: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error('server has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`command ${op} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin!.write(JSON.stringify({ id, op, ...args }) + '\n');
    });
  }

  cpuSeconds(): number {
    return cpuSeconds(this.pid);
  }

  /** RSS right after a full garbage collection in the server. */
  async rssAfterGc(): Promise<number> {
    await this.command('gc');
    return rssBytes(this.pid);
  }

  /** Stops gracefully (the server writes what it holds), or kills it after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.command('stop').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** SIGKILL: no shutdown at all. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }
}
