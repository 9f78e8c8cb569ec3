// examples/http-service under HTTP load, side by side with the bare reference (the same Hono
// route calling the official OpenAI SDK directly), in the same run: each server in its own
// process against one minimal upstream (its own process), autocannon at 50 connections on
// 127.0.0.1, rounds alternating reference / Forge1, then one more Forge1 round under the CPU
// profiler. Build first (`node scripts/build-packages.ts --quick`), then:
//   node bench/http-service.bench.ts   (LOAD_SECONDS per round, default 5; ROUNDS, default 3;
//   CPU_PROFILE=<file> keeps the profile)
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LoadFigures,
  loadTest,
  type ServerProcess,
  startMinimalOpenAI,
  startServerProcess,
} from '../examples/http-service/src/throughput.ts';
import { type CpuProfile, forge1Packages, summarizeProfile } from './cpu-profile-summary.ts';
import { fmt, writeSection } from './report.ts';

const seconds = Number(process.env.LOAD_SECONDS ?? 5);
const rounds = Number(process.env.ROUNDS ?? 3);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const body = JSON.stringify({ messages: [{ role: 'user', content: 'Where is my order #4471?' }] });
const headers = { 'x-tenant-id': 'bench', 'x-user-id': 'load' };
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const upstream = await startMinimalOpenAI();
const servers: ServerProcess[] = [upstream];
try {
  const reference = await startServerProcess(here('./http-reference-server.ts'), [upstream.url]);
  servers.push(reference);
  const forge1 = await startServerProcess(here('./http-forge1-server.ts'), [upstream.url]);
  servers.push(forge1);
  const load = (server: ServerProcess, duration = seconds) =>
    loadTest(`${server.url}/v1/chat`, { body, headers, seconds: duration });

  // Warm-up: let the JIT compile both hot paths before measuring.
  await load(reference, 2);
  await load(forge1, 2);
  const measured = { reference: [] as LoadFigures[], forge1: [] as LoadFigures[] };
  for (let round = 0; round < rounds; round++) {
    measured.reference.push(await load(reference));
    measured.forge1.push(await load(forge1));
    console.log(`round ${round + 1}: reference`, measured.reference.at(-1), 'forge1', measured.forge1.at(-1));
  }

  // One more Forge1 round under the profiler (its figures are not in the comparison).
  // CPU_PROFILE=<file> keeps the profile (open it in Chrome DevTools).
  const profileFile = process.env.CPU_PROFILE ?? join(tmpdir(), `forge1-http-${process.pid}.cpuprofile`);
  forge1.send('profile-start');
  await forge1.nextLine();
  const profiled = await load(forge1);
  forge1.send(`profile-stop ${profileFile}`);
  await forge1.nextLine();
  const summary = summarizeProfile(JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile);
  if (!process.env.CPU_PROFILE) rmSync(profileFile, { force: true });

  const stat = (figures: LoadFigures[], pick: (f: LoadFigures) => number) => median(figures.map(pick));
  const figuresOf = (list: LoadFigures[]) => ({
    rps: stat(list, (f) => f.requestsPerSecond),
    p50: stat(list, (f) => f.p50Ms),
    p99: stat(list, (f) => f.p99Ms),
    failed: list.reduce((sum, f) => sum + f.non2xx + f.errors, 0),
    perRound: list.map((f) => fmt(f.requestsPerSecond, 0)).join(' / '),
  });
  const ref = figuresOf(measured.reference);
  const own = figuresOf(measured.forge1);
  const rpsRatio = own.rps / ref.rps;
  const p99Ratio = own.p99 / ref.p99;
  const row = (name: string, f: typeof ref) =>
    `| ${name} | ${fmt(f.rps, 0)} | ${f.perRound} | ${fmt(f.p50, 1)} | ${fmt(f.p99, 1)} | ${f.failed} |`;

  const shares = [...summary.byPackage]
    .filter(([bucket]) => bucket !== '(idle)' && bucket !== '(profiler)')
    .sort((a, b) => b[1] - a[1]);
  const shareRow = ([bucket, us]: [string, number]) =>
    `| ${forge1Packages.includes(bucket) ? `**${bucket}**` : bucket} | ${fmt((100 * us) / summary.busyUs, 1)} % | ${fmt(us / Math.max(1, profiled.ok), 1)} |`;
  const forge1PerRequest = summary.forge1Us / Math.max(1, profiled.ok);

  writeSection(
    'http-service',
    'HTTP service under load, side by side with the official SDK alone',
    `autocannon, 50 connections, ${seconds} s per round, 127.0.0.1, ${rounds} rounds alternating
reference / Forge1 after a 2 s warm-up of each. Four processes share the machine's cores: autocannon,
the minimal upstream (examples/http-service/src/minimal-openai.ts), the reference and the service; the
machine is shared with other work, so rounds vary: compare the ratio, not the absolute figures.

- **reference**: bench/http-reference-server.ts, the same Hono route (POST /v1/chat, JSON in, JSON out)
  calling the official \`openai\` SDK directly, over the same keep-alive transport the service gives its
  SDK clients, no Forge1.
- **Forge1**: examples/http-service (bench/http-forge1-server.ts): trusted \`x-tenant-id\`, router with
  cascade off (one upstream call per request), key pool with room, resilient OpenAI adapter, guard,
  meter into SQLite in memory without a journal.

| server | requests/s (median) | per round | p50 ms | p99 ms | failed |
|---|---:|---:|---:|---:|---:|
${row('reference (SDK alone)', ref)}
${row('Forge1 http-service', own)}

Forge1 ÷ reference (medians over rounds): **${fmt(rpsRatio * 100, 1)} %** of the requests/s (target ≥ 95 %),
p99 **${fmt(p99Ratio, 2)}×** (target ≤ 1.1×).

### CPU profile of the service under that load

One more Forge1 round (${fmt(profiled.requestsPerSecond, 0)} requests/s under the profiler, ${profiled.ok} answered)
with the inspector's CPU profiler on in the service process. Self time is summed per package by the script
URL of each profile node; shares are of the process's busy time (idle and the profiler's own work excluded), µs are per answered request.

| bucket | share | µs / request |
|---|---:|---:|
${shares.map(shareRow).join('\n')}

Forge1's own packages (${forge1Packages.join(', ')}): **${fmt((100 * summary.forge1Us) / summary.busyUs, 1)} %**
of the busy CPU, **${fmt(forge1PerRequest, 1)} µs per request** (target ≤ 40 µs).`,
  );
  console.log(
    `forge1/reference ${fmt(rpsRatio * 100, 1)} % req/s, p99 ${fmt(p99Ratio, 2)}×; Forge1 CPU ${fmt(forge1PerRequest, 1)} µs/request`,
  );
} finally {
  for (const server of servers.reverse()) await server.close();
}
