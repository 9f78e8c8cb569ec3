import type { UsageRecord } from '@forge1/core';
import type { UsageStore } from '@forge1/metering';
import type { DemoSummary } from './summary.ts';

/** One figure that differs between the report and the SQLite file. */
export interface Mismatch {
  tenant: string;
  field: string;
  report: number;
  stored: number;
}

/**
 * Compares the report's per-tenant figures (computed from the gateway's results in memory)
 * with what the SQLite usage store holds after the meter flushed: the number of records (each
 * attempt that consumed tokens, each stored once), tokens and cost must be equal.
 */
export async function verifyAgainstStore(
  summary: DemoSummary,
  usage: UsageStore,
): Promise<{ records: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  let records = 0;
  for (const tenant of summary.tenants) {
    const stored = JSON.parse(await usage.exportTenant(tenant.id, 'json')) as UsageRecord[];
    const totals = await usage.totals(tenant.id);
    records += stored.length;
    const pairs: Array<[string, number, number]> = [
      ['records', tenant.records, stored.length],
      ['distinct record ids', tenant.records, new Set(stored.map((r) => r.id)).size],
      ['inputTokens', tenant.inputTokens, totals.inputTokens],
      ['outputTokens', tenant.outputTokens, totals.outputTokens],
      ['costMicros', tenant.costMicros, totals.costMicros],
    ];
    for (const [field, report, fromStore] of pairs) {
      if (report !== fromStore) mismatches.push({ tenant: tenant.id, field, report, stored: fromStore });
    }
  }
  return { records, mismatches };
}
