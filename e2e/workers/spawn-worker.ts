import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A worker process and the JSON events it printed. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly events: Array<Record<string, unknown> & { type: string }>;
  /** Resolves with the first event of this type (or rejects when the process exits first). */
  next(type: string): Promise<Record<string, unknown>>;
  /** Writes a line to the worker's stdin (e.g. `go`). */
  send(line: string): void;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `e2e/workers/<script>` with the repository's Node 24, from the package sources (see
 * source-hooks.ts), passing `config` as JSON in argv.
 */
export function spawnWorker(script: string, config: object): WorkerProcess {
  const child = spawn(
    `${root}node_modules/.bin/node`,
    ['--import', './e2e/workers/source-hooks.ts', `e2e/workers/${script}`, JSON.stringify(config)],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const events: WorkerProcess['events'] = [];
  const waiters: Array<{ type: string; resolve: (event: Record<string, unknown>) => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as WorkerProcess['events'][number];
      events.push(event);
      for (const waiter of waiters.filter((entry) => entry.type === event.type)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    events,
    exited,
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
    next(type) {
      const seen = events.find((event) => event.type === type);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ type, resolve });
        exited.then((code) =>
          reject(new Error(`worker exited (${code}) before "${type}": ${stderr.slice(-2000)}`)),
        );
      });
    },
  };
}
