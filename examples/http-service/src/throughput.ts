import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer } from './server.ts';

// `npm run bench` (after `npm run build` at the root): autocannon at 50 connections against a
// minimal local OpenAI-compatible server directly, then through this service, and the ratio.

/** Starts the minimal OpenAI-compatible server (minimal-openai.ts) in its own process. */
export async function startMinimalOpenAI(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./minimal-openai.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    url: line.trim(),
    close: async () => {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}

/** What autocannon measured. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
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
    non2xx: number;
    errors: number;
  };
  return {
    requestsPerSecond: report.requests.average,
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    non2xx: report.non2xx,
    errors: report.errors,
  };
}

/** Direct throughput of the minimal server, then through the service, at 50 connections. */
export async function measureThroughput(seconds = 10) {
  const upstream = await startMinimalOpenAI();
  const prompt = { messages: [{ role: 'user', content: 'Where is my order #4471?' }] };
  const direct = await loadTest(`${upstream.url}/chat/completions`, {
    body: JSON.stringify({ model: 'gpt-4o-mini', ...prompt }),
    seconds,
  });
  const server = await startServer({
    port: 0,
    // The load generator stands for a gateway that authenticated its callers: x-tenant-id is trusted.
    trustTenantHeader: true,
    providers: [
      {
        provider: 'openai',
        baseURL: upstream.url,
        keys: [{ id: 'bench', secret: 'sk-bench-local-0000000000', rpm: 10_000_000, tpm: 1_000_000_000 }],
      },
    ],
    tenants: [{ id: 'bench', tier: 'enterprise', limits: { dailyRequests: 100_000_000 } }],
  });
  try {
    const serviceLoad = {
      body: JSON.stringify(prompt),
      headers: { 'x-tenant-id': 'bench', 'x-user-id': 'load' },
    };
    // Warm-up: let the JIT compile the hot path before measuring.
    await loadTest(`${server.url}/v1/chat`, { ...serviceLoad, seconds: 3 });
    const service = await loadTest(`${server.url}/v1/chat`, { ...serviceLoad, seconds });
    return { direct, service, ratio: service.requestsPerSecond / direct.requestsPerSecond };
  } finally {
    await server.close();
    await upstream.close();
  }
}

if (import.meta.main) {
  const { direct, service, ratio } = await measureThroughput(Number(process.env.LOAD_SECONDS ?? 10));
  console.log('direct ', direct);
  console.log('service', service);
  console.log(`service / direct = ${(ratio * 100).toFixed(1)} %`);
}
