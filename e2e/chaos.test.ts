import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChaos } from './support/chaos-run.ts';
import { chaosViolations, summariseChaos } from './support/chaos-verdict.ts';

// Short form of the chaos run (the long form is `node scripts/chaos.ts`): faults of every kind,
// an outage of the providers' first choice, a key revoked midway. Every request with a fallback
// path must succeed, circuits must open and close through half-open probes, the SQLite usage
// store must hold exactly one record per attempt that consumed tokens, and the heap must not grow.
describe('chaos, short form', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forge1-chaos-'));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its promises against the emulator with the real adapters', { timeout: 60_000 }, async () => {
    const report = await runChaos({
      mode: 'emulator',
      requests: 1_000,
      concurrency: 16,
      seed: 101,
      dataDir: join(dataDir, 'emulator'),
      heapEvery: 200,
    });
    console.info(summariseChaos(report));
    expect(chaosViolations(report, { maxGrowthBytes: 48 * 2 ** 20 })).toEqual([]);
    expect(report.fellBack).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  });

  it('keeps its promises in process over more requests, with a flat heap', { timeout: 60_000 }, async () => {
    const report = await runChaos({
      mode: 'in-process',
      requests: 12_000,
      concurrency: 64,
      seed: 202,
      dataDir: join(dataDir, 'in-process'),
      heapEvery: 1_000,
    });
    console.info(summariseChaos(report));
    expect(chaosViolations(report, { maxGrowthBytes: 32 * 2 ** 20 })).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});
