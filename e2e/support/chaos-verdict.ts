// What a chaos run's report means: the promises it broke, its heap slope and a summary for logs.
import { type ChaosReport, type CircuitEvent, circuitName } from './chaos-run.ts';
import { downProvider } from './chaos-stack.ts';
import { slope } from './heap.ts';

/** Every broken promise of a chaos report, as sentences; empty when the run kept them all. */
export function chaosViolations(report: ChaosReport, heapBound: { maxGrowthBytes: number }): string[] {
  const violations: string[] = [];
  if (report.failedWithFallback > 0) {
    violations.push(
      `${report.failedWithFallback} requests with a fallback path failed (${JSON.stringify(report.errorCodes)})`,
    );
  }
  if (report.untyped > 0)
    violations.push(`${report.untyped} requests threw something other than a Forge1Error`);
  if (report.succeeded + report.failed !== report.requests) {
    violations.push(`${report.succeeded + report.failed} of ${report.requests} requests settled`);
  }
  const down = report.circuitEvents.filter((event) => event.provider === downProvider);
  const openedInOutage = down.filter(
    (event) =>
      event.type === 'open' && event.launched >= report.outage.from && event.launched <= report.outage.to,
  );
  if (openedInOutage.length === 0) violations.push(`no ${downProvider} circuit opened during the outage`);
  if (!report.circuitRefusals[downProvider]) {
    violations.push(`no request was refused by an open ${downProvider} circuit`);
  }
  const closedAfter = down.filter((event) => event.type === 'close' && event.launched >= report.outage.to);
  if (closedAfter.length === 0) violations.push(`no ${downProvider} circuit closed after the outage`);
  const byCircuit = new Map<string, CircuitEvent[]>();
  for (const event of report.circuitEvents) {
    const name = circuitName(event.provider, event.model);
    byCircuit.set(name, [...(byCircuit.get(name) ?? []), event]);
  }
  for (const [name, list] of byCircuit) {
    // opossum's cycle: open → halfOpen → (close | open); never close without a half-open probe.
    for (let i = 0; i < list.length; i++) {
      const previous = list[i - 1]?.type;
      const type = list[i]!.type;
      const allowed =
        type === 'open'
          ? previous !== 'open'
          : type === 'halfOpen'
            ? previous === 'open'
            : previous === 'halfOpen';
      if (!allowed) violations.push(`circuit ${name}: ${type} after ${previous ?? 'nothing'}`);
    }
  }
  if (report.stillOpen.length > 0)
    violations.push(`circuits not closed at the end: ${report.stillOpen.join(', ')}`);
  if (report.revoke.disabledEvents !== 1) {
    violations.push(`revoked key ${report.revoke.keyId} was disabled ${report.revoke.disabledEvents} times`);
  }
  if (report.revoke.servedAfterDisable > 0) {
    violations.push(`revoked key served ${report.revoke.servedAfterDisable} attempts after it was disabled`);
  }
  const { gatewayAttempts: g, stored: s } = report;
  if (g.count === 0) violations.push('no attempt consumed tokens');
  for (const field of ['count', 'inputTokens', 'outputTokens', 'costMicros', 'hash'] as const) {
    if (g[field] !== s[field])
      violations.push(`usage store ${field} ${s[field]} ≠ gateway attempts ${g[field]}`);
  }
  if (s.distinctIds !== s.count || s.distinctAttempts !== s.count) {
    violations.push(`usage store holds ${s.count} records for ${s.distinctAttempts} attempts`);
  }
  const samples = report.heap;
  if (samples.length >= 4) {
    const settled = samples.slice(Math.floor(samples.length / 4));
    const growth = Math.max(...settled.map((p) => p.bytes)) - settled[0]!.bytes;
    if (growth > heapBound.maxGrowthBytes) {
      violations.push(
        `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB after warm-up (bound ${(heapBound.maxGrowthBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
    }
  }
  return violations;
}

/** Heap growth per 100 000 requests over the second half of the samples, in bytes. */
export function heapSlopePer100k(report: ChaosReport): number {
  const half = report.heap.slice(Math.floor(report.heap.length / 2));
  return slope(half.map((p) => ({ x: p.done, y: p.bytes }))) * 100_000;
}

/** A few lines for a log: requests, outcomes, circuits, records and heap. */
export function summariseChaos(report: ChaosReport): string {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const count = (type: CircuitEvent['type']) =>
    report.circuitEvents.filter((event) => event.type === type).length;
  return [
    `chaos (${report.mode}): ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s ` +
      `(${Math.round(report.requests / (report.durationMs / 1000))}/s): ${report.succeeded} ok, ${report.failed} failed ` +
      `(${report.failedWithFallback} with a fallback path) ${JSON.stringify(report.errorCodes)}`,
    `  ${report.attempts} attempts, ${report.fellBack} fell back, ${report.cascaded} cascaded; circuits: ` +
      `${count('open')} open, ${count('halfOpen')} half-open, ${count('close')} close; refused while open ` +
      `${JSON.stringify(report.circuitRefusals)}; probed after the run: ${report.probed.join(', ') || 'none'}`,
    `  key ${report.revoke.keyId} revoked at request ${report.revoke.at}: disabled ${report.revoke.disabledEvents}×, ` +
      `served ${report.revoke.servedAfterDisable} attempts after`,
    `  usage: ${report.gatewayAttempts.count} attempts with tokens, ${report.stored.count} records stored ` +
      `(${report.stored.distinctAttempts} distinct attempts)`,
    `  heap after GC (MiB): ${report.heap.map((sample) => mib(sample.bytes)).join(' ')}`,
  ].join('\n');
}
