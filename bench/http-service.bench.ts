// examples/http-service under HTTP load, side by side with the bare reference (the same Hono
// route calling the official OpenAI SDK directly), in the same run: each server in its own
// process against one minimal upstream (its own process), autocannon at 50 connections on
// 127.0.0.1, rounds alternating reference / Forge1, then one more Forge1 round under the CPU
// profiler. Build first (`node scripts/build-packages.ts --quick`), then:
//   node bench/http-service.bench.ts   (LOAD_SECONDS per round, default 5; ROUNDS, default 3;
//   CPU_PROFILE=<file> keeps the profile)
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
type Measured = LoadFigures & { cpuUsPerRequest: number };
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

// The machine's load when the run starts: other work on it moves every figure, ratios included.
const loadAtStart = loadavg()[0] ?? 0;
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
  // CPU time of the server process over a round, per answered request: what it cost the machine,
  // without the time it waited for a core (which the profiler's samples include).
  const cpuTime = async (server: ServerProcess) => {
    server.send('cpu');
    return Number(await server.nextLine());
  };
  const measuredLoad = async (server: ServerProcess): Promise<Measured> => {
    const before = await cpuTime(server);
    const figures = await load(server);
    return { ...figures, cpuUsPerRequest: ((await cpuTime(server)) - before) / Math.max(1, figures.ok) };
  };
  const measured = { reference: [] as Measured[], forge1: [] as Measured[] };
  for (let round = 0; round < rounds; round++) {
    measured.reference.push(await measuredLoad(reference));
    measured.forge1.push(await measuredLoad(forge1));
    console.log(`round ${round + 1}: reference`, measured.reference.at(-1), 'forge1', measured.forge1.at(-1));
  }

  // One more round of each under the profiler (their figures are not in the comparison), so that
  // node's own work per request can be told apart from what Forge1 adds to it.
  // CPU_PROFILE=<file> keeps the Forge1 profile (and <file>.reference.cpuprofile; open them in Chrome DevTools).
  const profileFile = process.env.CPU_PROFILE ?? join(tmpdir(), `forge1-http-${process.pid}.cpuprofile`);
  const profileRound = async (server: ServerProcess, file: string) => {
    server.send('profile-start');
    await server.nextLine();
    const figures = await measuredLoad(server);
    server.send(`profile-stop ${file}`);
    await server.nextLine();
    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    if (!process.env.CPU_PROFILE) rmSync(file, { force: true });
    return { figures, summary, perRequest: (us: number) => us / Math.max(1, figures.ok) };
  };
  const referenceProfile = await profileRound(reference, `${profileFile}.reference.cpuprofile`);
  const forge1Profile = await profileRound(forge1, profileFile);
  const { figures: profiled, summary } = forge1Profile;

  const stat = (figures: Measured[], pick: (f: Measured) => number) => median(figures.map(pick));
  const figuresOf = (list: Measured[]) => ({
    cpu: stat(list, (f) => f.cpuUsPerRequest),
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
    `| ${name} | ${fmt(f.rps, 0)} | ${f.perRound} | ${fmt(f.p50, 1)} | ${fmt(f.p99, 1)} | ${fmt(f.cpu, 0)} | ${f.failed} |`;

  const shares = [...summary.byPackage]
    .filter(([bucket]) => bucket !== '(idle)' && bucket !== '(profiler)')
    .sort((a, b) => b[1] - a[1]);
  const referenceUs = (bucket: string) =>
    referenceProfile.summary.byPackage.has(bucket)
      ? fmt(referenceProfile.perRequest(referenceProfile.summary.byPackage.get(bucket)!), 1)
      : '';
  const shareRow = ([bucket, us]: [string, number]) =>
    `| ${forge1Packages.includes(bucket) ? `**${bucket}**` : bucket} | ${fmt((100 * us) / summary.busyUs, 1)} % | ${fmt(forge1Profile.perRequest(us), 1)} | ${referenceUs(bucket)} |`;
  const forge1PerRequest = forge1Profile.perRequest(summary.forge1Us);
  const busyRow = `| busy total | 100 % | ${fmt(forge1Profile.perRequest(summary.busyUs), 1)} | ${fmt(referenceProfile.perRequest(referenceProfile.summary.busyUs), 1)} |
| (process CPU time, for comparison) | | ${fmt(profiled.cpuUsPerRequest, 1)} | ${fmt(referenceProfile.figures.cpuUsPerRequest, 1)} |`;

  writeSection(
    'http-service',
    'HTTP service under load, side by side with the official SDK alone',
    `autocannon, 50 connections, ${seconds} s per round, 127.0.0.1, ${rounds} rounds alternating
reference / Forge1 after a 2 s warm-up of each. Four processes share the machine's cores: autocannon,
the minimal upstream (examples/http-service/src/minimal-openai.ts), the reference and the service; the
machine is shared with other work, so rounds vary: compare the ratio, not the absolute figures
(load average ${fmt(loadAtStart, 1)} when this run started).

- **reference**: bench/http-reference-server.ts, the same Hono route (POST /v1/chat, JSON in, JSON out)
  calling the official \`openai\` SDK directly, over the same keep-alive transport the service gives its
  SDK clients, no Forge1.
- **Forge1**: examples/http-service (bench/http-forge1-server.ts): trusted \`x-tenant-id\`, router with
  cascade off (one upstream call per request), key pool with room, resilient OpenAI adapter, guard,
  meter into SQLite in memory without a journal.

| server | requests/s (median) | per round | p50 ms | p99 ms | CPU µs / request | failed |
|---|---:|---:|---:|---:|---:|---:|
${row('reference (SDK alone)', ref)}
${row('Forge1 http-service', own)}

Forge1 ÷ reference (medians over rounds): **${fmt(rpsRatio * 100, 1)} %** of the requests/s (target ≥ 95 %),
p99 **${fmt(p99Ratio, 2)}×** (target ≤ 1.1×). CPU time of the server process (user + system, from
\`process.cpuUsage()\`, median over rounds): Forge1 **${fmt(own.cpu - ref.cpu, 0)} µs per request** more than the reference.

### CPU profile of the service under that load

One more round of each server with the inspector's CPU profiler on in its process: Forge1
${fmt(profiled.requestsPerSecond, 0)} requests/s (${profiled.ok} answered), the reference
${fmt(referenceProfile.figures.requestsPerSecond, 0)} requests/s (${referenceProfile.figures.ok} answered). Self time is
summed per package by the script URL of each profile node; shares are of the service's busy time (idle and
the profiler's own work excluded), µs are per answered request, the reference's beside them. Samples are
wall-clock: a process waiting for a core inside a call (a socket write that wakes the reader, on a busy
machine) is charged to that call, so the busy total can exceed the process's CPU time.

| bucket | share | µs / request | reference µs / request |
|---|---:|---:|---:|
${busyRow}
${shares.map(shareRow).join('\n')}

Forge1's own packages (${forge1Packages.join(', ')}): **${fmt((100 * summary.forge1Us) / summary.busyUs, 1)} %**
of the busy CPU, **${fmt(forge1PerRequest, 1)} µs per request** (target ≤ 40 µs).`,
  );
  console.log(
    `forge1/reference ${fmt(rpsRatio * 100, 1)} % req/s, p99 ${fmt(p99Ratio, 2)}×; process CPU ${fmt(own.cpu, 0)} vs ${fmt(ref.cpu, 0)} µs/request; Forge1 packages ${fmt(forge1PerRequest, 1)} µs/request`,
  );
} finally {
  for (const server of servers.reverse()) await server.close();
}
