// What each part of examples/http-service costs per request, in process: the service's wiring
// with one part at a time (bench/workers/http-component-worker.ts), each variant in a fresh
// process per round, rounds alternating the variants, driven through app.fetch at 50 concurrent
// requests with the OpenAI SDK over a fetch that answers at once (no sockets, no load generator
// in the process). Process CPU time per request (median over rounds) and bytes allocated per
// request (the sampling heap profiler, collected objects included; a count of the work, which
// the machine's load does not move). Build first (`node scripts/build-packages.ts --quick`), then:
//   node bench/http-components.bench.ts   (ROUNDS, default 3; REQUESTS per round, default 10000)
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fmt, writeSection } from './report.ts';

const rounds = Number(process.env.ROUNDS ?? 3);
const requests = Number(process.env.REQUESTS ?? 10_000);
const worker = fileURLToPath(new URL('./workers/http-component-worker.ts', import.meta.url));

const parts = ['router', 'meter', 'guard', 'telemetry', 'route'];
const variants: Array<{ parts: string; label: string }> = [
  { parts: 'reference', label: 'reference: Hono route + `openai` SDK' },
  { parts: 'adapter', label: 'route + the OpenAI adapter alone' },
  { parts: 'resilient', label: 'route + `withResilience(openai())`' },
  { parts: 'gateway', label: 'gateway: tenants, key pool, resilient adapter, fixed decision, bare route' },
  { parts: 'router', label: 'gateway + router' },
  { parts: 'meter', label: 'gateway + meter (SQLite in memory)' },
  { parts: 'guard', label: 'gateway + guard' },
  { parts: 'telemetry', label: 'gateway + telemetry (metrics on the SDK, no-op tracer)' },
  { parts: 'route', label: "gateway + the service's chat route" },
  { parts: 'all', label: 'all of it: the service as bench/http-forge1-server.ts runs it' },
  // Left out one at a time from the whole service: what a part costs with the others present.
  ...parts.map((left) => ({
    parts: parts.filter((part) => part !== left).join(','),
    label: `all but the ${left === 'route' ? 'chat route' : left}`,
  })),
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const loadAtStart = loadavg()[0] ?? 0;
const measured = new Map<string, { cpu: number[]; bytes: number[] }>();
for (let round = 0; round < rounds; round++) {
  for (const { parts } of variants) {
    const { stdout } = await promisify(execFile)(process.execPath, [worker, parts, String(requests)]);
    const { cpuUs, bytes } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      cpuUs: number;
      bytes: number;
    };
    const entry = measured.get(parts) ?? { cpu: [], bytes: [] };
    entry.cpu.push(cpuUs);
    entry.bytes.push(bytes);
    measured.set(parts, entry);
  }
  console.log(`round ${round + 1} of ${rounds} done`);
}
const loadAtEnd = loadavg()[0] ?? 0;
const cpuOf = (variant: string) => median(measured.get(variant)!.cpu);
const kbOf = (variant: string) => median(measured.get(variant)!.bytes) / 1024;
const base = (variant: string) => {
  if (variant === 'reference') return undefined;
  if (['adapter', 'resilient', 'gateway', 'all'].includes(variant)) return 'reference';
  return variant.includes(',') ? 'all' : 'gateway';
};
const signed = (value: number, digits: number) => `${value < 0 ? '−' : '+'}${fmt(Math.abs(value), digits)}`;
const rows = variants.map(({ parts, label }) => {
  const from = base(parts);
  // A part left out of the whole service: what the whole costs more than the service without it.
  const added =
    from === 'all'
      ? `the part: ${signed(cpuOf('all') - cpuOf(parts), 0)} µs, ${signed(kbOf('all') - kbOf(parts), 1)} KB (all − this)`
      : from
        ? `${signed(cpuOf(parts) - cpuOf(from), 0)} µs, ${signed(kbOf(parts) - kbOf(from), 1)} KB (over ${from})`
        : '';
  const perRound = measured
    .get(parts)!
    .cpu.map((us) => fmt(us, 0))
    .join(' / ');
  return `| ${label} | ${fmt(cpuOf(parts), 0)} | ${perRound} | ${fmt(kbOf(parts), 1)} | ${added} |`;
});

writeSection(
  'http-components',
  'HTTP service: what each part costs per request, in process',
  `The service's wiring (examples/http-service/src/app.ts) rebuilt with one part at a time by
bench/workers/http-component-worker.ts, each variant in a fresh process per round, ${rounds} rounds
alternating the variants, ${fmt(requests, 0)} requests per round after 5 000 warm-up requests, 50 at a time
through \`app.fetch\` (no sockets, no load generator in the process), the \`openai\` SDK over a fetch that
answers the minimal upstream's completion in the next turn of the event loop. CPU is the process's
user + system time per request (median over rounds); allocated is bytes per request from the sampling
heap profiler with collected objects included, which the machine's load does not change. Load average
${fmt(loadAtStart, 1)} at the start, ${fmt(loadAtEnd, 1)} at the end: the CPU figures move with it by
±10–20 %, the allocations do not.

| variant | CPU µs / request | per round | allocated KB / request | added |
|---|---:|---:|---:|---|
${rows.join('\n')}

Each part is measured twice: added alone to the gateway, and left out of the whole service. The
second is what removing it would save as the service runs; where the two differ, the part costs more
in company (more work per request for the rest, more allocation for the collector).

Over the reference, the whole service adds **${fmt(cpuOf('all') - cpuOf('reference'), 0)} µs** of CPU and
**${fmt(kbOf('all') - kbOf('reference'), 1)} KB** of allocations per request in this setting.`,
);
console.log(rows.join('\n'));
