import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Load-test helpers of bench/http-service.bench.ts (`npm run bench -w examples/http-service`):
// servers in their own processes, and autocannon as the load generator.

/** A server running in a child process that printed its URL on its first line of output. */
export interface ServerProcess {
  url: string;
  /** Writes one line to the process's stdin. */
  send(line: string): void;
  /** The next line the process prints. */
  nextLine(): Promise<string>;
  /** SIGTERM, then waits for the exit. */
  close(): Promise<void>;
}

/** Starts `node <file> ...args` and waits for the URL it prints first. */
export async function startServerProcess(
  file: string,
  args: string[] = [],
  nodeOptions: string[] = [],
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, file, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queue.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve) => {
      const line = queue.shift();
      if (line === undefined) waiting.push(resolve);
      else resolve(line);
    });
  const url = (await nextLine()).trim();
  return {
    url,
    send: (line) => child.stdin!.write(`${line}\n`),
    nextLine,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts the minimal OpenAI-compatible server (minimal-openai.ts) in its own process. */
export async function startMinimalOpenAI(): Promise<ServerProcess> {
  return startServerProcess(fileURLToPath(new URL('./minimal-openai.ts', import.meta.url)));
}

/** What autocannon measured. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests answered 2xx. */
  ok: number;
  non2xx: number;
  errors: number;
}

/** Runs the autocannon CLI (a root dev dependency) and reads its JSON report. */
export async function loadTest(
  url: string,
  options: { body: string; headers?: Record<string, string>; connections?: number; seconds?: number },
): Promise<LoadFigures> {
  const cli = createRequire(import.meta.url).resolve('autocannon');
  const headers = Object.entries({ 'content-type': 'application/json', ...options.headers }).flatMap(
    ([name, value]) => ['-H', `${name}=${value}`],
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      cli,
      '-c',
      String(options.connections ?? 50),
      '-d',
      String(options.seconds ?? 10),
      '-m',
      'POST',
      ...headers,
      '-b',
      options.body,
      '--json',
      url,
    ],
    { maxBuffer: 16 * 2 ** 20 },
  );
  const report = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    '2xx': number;
    non2xx: number;
    errors: number;
  };
  return {
    requestsPerSecond: report.requests.average,
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    ok: report['2xx'],
    non2xx: report.non2xx,
    errors: report.errors,
  };
}
