// The long chaos run: `npm run build && node scripts/chaos.ts` (npm script `chaos`).
// A segment against the provider emulator with the real adapters (real HTTP, real SDKs, real
// error bodies), then a million requests through in-process providers with the same faults
// (fast enough for a million, and the heap check then measures Forge1 rather than sockets).
// Options: --requests N (in process, default 1 000 000), --emulator-requests N (default 20 000),
// --concurrency N (default 64), --seed N. Exits 1 when a promise is broken.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChaosReport, runChaos } from '../e2e/support/chaos-run.ts';
import { chaosViolations, heapSlopePer100k, summariseChaos } from '../e2e/support/chaos-verdict.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    'emulator-requests': { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    seed: { type: 'string', default: '7' },
  },
});
const requests = Number(values.requests);
const emulatorRequests = Number(values['emulator-requests']);
const concurrency = Number(values.concurrency);
const seed = Number(values.seed);
const dataDir = mkdtempSync(join(tmpdir(), 'forge1-chaos-long-'));

const progress = (label: string) => (done: number, total: number) => {
  const heap = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);
  process.stdout.write(`\r${label}: ${done}/${total} requests, heap ${heap} MiB   `);
};

const violations: string[] = [];
const check = (report: ChaosReport, maxGrowthBytes: number, slopeBound?: number) => {
  console.log(`\n${summariseChaos(report)}`);
  const broken = chaosViolations(report, { maxGrowthBytes });
  if (slopeBound !== undefined) {
    const slope = heapSlopePer100k(report);
    console.log(
      `  heap slope over the second half: ${(slope / 2 ** 10).toFixed(1)} KiB per 100 000 requests`,
    );
    if (slope > slopeBound)
      broken.push(`heap grows ${(slope / 2 ** 20).toFixed(2)} MiB per 100 000 requests`);
  }
  for (const violation of broken) console.log(`  BROKEN (${report.mode}): ${violation}`);
  violations.push(...broken);
};

try {
  if (emulatorRequests > 0) {
    const report = await runChaos({
      mode: 'emulator',
      requests: emulatorRequests,
      concurrency: Math.min(concurrency, 32),
      seed,
      dataDir: join(dataDir, 'emulator'),
      heapEvery: Math.max(500, Math.floor(emulatorRequests / 20)),
      onProgress: progress('emulator'),
    });
    check(report, 48 * 2 ** 20);
  }
  if (requests > 0) {
    const report = await runChaos({
      mode: 'in-process',
      requests,
      concurrency,
      seed: seed + 1,
      dataDir: join(dataDir, 'in-process'),
      heapEvery: Math.max(1_000, Math.floor(requests / 50)),
      onProgress: progress('in process'),
    });
    check(report, 16 * 2 ** 20, 2 ** 20);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(violations.length === 0 ? '\nchaos: every promise kept' : `\nchaos: ${violations.length} broken`);
process.exit(violations.length === 0 ? 0 : 1);
