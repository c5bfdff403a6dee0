import readline from 'node:readline';

/**
 * The control line between the benchmark and a server it started: the child
 * prints one JSON object per line on stdout (the first is `{"ready":…}`), and
 * reads commands, one JSON object per line, on stdin.
 */
export interface Command {
  id: number;
  op: string;
  [arg: string]: unknown;
}

/** Child side: announces readiness and answers commands with `handle`'s result. */
export function serveCommands(ready: Record<string, unknown>, handle: (command: Command) => Promise<unknown>): void {
  process.stdout.write(JSON.stringify({ ready: true, pid: process.pid, ...ready }) + '\n');
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let command: Command;
    try {
      command = JSON.parse(line) as Command;
    } catch {
      return;
    }
    const answer = async () => {
      // Measurements of memory are taken right after a full collection, so garbage not yet collected does not count.
      if (command.op === 'gc') {
        (globalThis as { gc?: () => void }).gc?.();
        return { ok: true };
      }
      return handle(command);
    };
    answer().then(
      (result) => process.stdout.write(JSON.stringify({ id: command.id, result }) + '\n'),
      (err: unknown) => process.stdout.write(JSON.stringify({ id: command.id, error: (err as Error).message ?? String(err) }) + '\n'),
    );
  });
  // The benchmark closing our stdin means it is gone: do not outlive it.
  lines.on('close', () => process.exit(0));
}
