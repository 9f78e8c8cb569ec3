import { billingPeriod, createCatalog, optionalRecordCounts, type UsageRecord } from '@forge1/core';
import { createSqliteSink, createUsageStore, type UsageStore } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const JAN = Date.UTC(2026, 0, 1);
// 3000 records, one every 20 minutes: January, February and into March.
const records = sampleUsageRecords(3000, {
  start: JAN,
  stepMs: 20 * 60_000,
  tenants: ['acme', 'globex', 'initech'],
});

/** The same figures, computed in plain code: what every query must agree with. */
function reference(list: readonly UsageRecord[]) {
  return {
    requests: new Set(list.map((record) => record.requestId)).size,
    inputTokens: list.reduce((sum, record) => sum + record.inputTokens, 0),
    outputTokens: list.reduce((sum, record) => sum + record.outputTokens, 0),
    cachedInputTokens: list.reduce((sum, record) => sum + record.cachedInputTokens, 0),
    ...Object.fromEntries(
      optionalRecordCounts.map((key) => [key, list.reduce((sum, record) => sum + (record[key] ?? 0), 0)]),
    ),
    costMicros: list.reduce((sum, record) => sum + record.costMicros, 0),
  };
}
const acme = records.filter((record) => record.tenantId === 'acme');

describe('createUsageStore on SQLite', () => {
  const sink = createSqliteSink();
  let store: UsageStore;
  beforeAll(async () => {
    await sink.init();
    await sink.write(records);
    store = createUsageStore({ database: sink.database });
  });
  afterAll(() => sink.close());

  it('totals one tenant, whole or in a range', async () => {
    expect(await store.totals('acme')).toEqual(reference(acme));
    const range = { from: JAN + 5 * 86_400_000, to: JAN + 9 * 86_400_000 };
    const inRange = acme.filter((record) => record.timestamp >= range.from && record.timestamp < range.to);
    expect(await store.totals('acme', range)).toEqual(reference(inRange));
  });

  it('groups usage by model, employee and UTC day', async () => {
    const byModel = await store.usageBy('acme', 'model');
    for (const group of byModel) {
      expect(group).toEqual({
        key: group.key,
        ...reference(acme.filter((record) => record.model === group.key)),
      });
    }
    const byEmployee = await store.usageBy('acme', 'employee');
    expect(byEmployee.map((group) => group.key)).toEqual(['(none)', 'emp-1', 'emp-2', 'emp-3']);
    expect(byEmployee[0]).toMatchObject(reference(acme.filter((record) => record.employeeId === undefined)));
    const byDay = await store.usageBy('acme', 'day');
    expect(byDay[0]!.key).toBe('2026-01-01');
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    expect(byDay[3]).toEqual({
      key: '2026-01-04',
      ...reference(acme.filter((record) => day(record.timestamp) === '2026-01-04')),
    });
  });

  it('sums one billing period of spend', async () => {
    const january = acme.filter((record) => billingPeriod(record.timestamp) === '2026-01');
    expect(await store.spend('acme', '2026-01')).toBe(reference(january).costMicros);
    expect(await store.spend('nobody', '2026-01')).toBe(0);
  });

  it('splits small and large models by catalog tier', async () => {
    const share = await store.modelShare('acme');
    const tiers = createCatalog();
    const small = acme.filter((record) => tiers.get(record.model)?.tier === 'small');
    expect(small.length).toBeGreaterThan(0);
    expect(share.small.costMicros).toBe(reference(small).costMicros);
    expect(share.large.costMicros).toBe(reference(acme).costMicros - reference(small).costMicros);
    expect(share.small.costShare + share.large.costShare).toBeCloseTo(1, 10);
    expect(share.unknown.requests).toBe(0);
  });

  it('ranks top users by cost', async () => {
    const top = await store.topUsers('acme', { limit: 2 });
    expect(top).toHaveLength(2);
    expect(top[0]!.costMicros).toBeGreaterThanOrEqual(top[1]!.costMicros);
    expect(top[0]).toEqual({
      key: top[0]!.key,
      ...reference(acme.filter((record) => record.userId === top[0]!.key)),
    });
  });

  it('previews an invoice with markup, base fee and included allowance', async () => {
    const invoice = await store.invoicePreview('acme', '2026-01', {
      markup: 0.25,
      plan: { name: 'pro', baseFeeMicros: 49_000_000, allowanceMicros: 1_000_000 },
    });
    const january = acme.filter((record) => record.period === '2026-01');
    expect(invoice.subtotalMicros).toBe(reference(january).costMicros);
    for (const line of invoice.lines) expect(line.markupMicros).toBe(Math.round(line.costMicros * 0.25));
    expect(invoice.usageMicros).toBe(invoice.subtotalMicros + invoice.markupMicros);
    expect(invoice.coveredMicros).toBe(1_000_000);
    expect(invoice.totalMicros).toBe(49_000_000 + invoice.usageMicros - 1_000_000);
    expect(invoice.planName).toBe('pro');
  });

  it('carries every token kind and the content parts per kind on each invoice line', async () => {
    const invoice = await store.invoicePreview('acme', '2026-01');
    const january = acme.filter((record) => record.period === '2026-01');
    for (const line of invoice.lines) {
      const { requests, ...counts } = reference(january.filter((record) => record.model === line.model));
      expect(line).toMatchObject({ requests, ...counts });
    }
    expect(invoice.lines.some((line) => line.cacheWrite1hInputTokens > 0 && line.reasoningTokens > 0)).toBe(
      true,
    );
    expect(invoice.lines.some((line) => line.imageParts > 0 && line.fileParts > 0)).toBe(true);
  });

  it('exports one tenant as JSON or CSV', async () => {
    const json = JSON.parse(await store.exportTenant('acme', 'json')) as UsageRecord[];
    expect(json).toEqual(acme);
    const csv = (await store.exportTenant('acme', 'csv')).trimEnd().split('\n');
    expect(csv[0]).toMatch(/^id,timestamp,period,tenant_id,/);
    expect(csv).toHaveLength(acme.length + 1);
  });

  it('summarises every tenant only through adminSummary', async () => {
    const summary = await store.adminSummary();
    expect(summary.map((row) => row.tenantId)).toEqual(['acme', 'globex', 'initech']);
    expect(summary[0]).toEqual({ tenantId: 'acme', ...reference(acme) });
  });

  it('never returns another tenant’s records', async () => {
    const exported = JSON.parse(await store.exportTenant('globex', 'json')) as UsageRecord[];
    expect(exported.every((record) => record.tenantId === 'globex')).toBe(true);
    expect(await store.totals('acme; drop table usage_records')).toEqual(reference([]));
  });

  it('refuses a missing tenant, a bad period or a bad range', async () => {
    await expect(store.totals('')).rejects.toMatchObject({ code: 'validation_error' });
    await expect(store.spend('acme', '2026-13')).rejects.toMatchObject({ code: 'validation_error' });
    await expect(store.totals('acme', { from: 2, to: 1 })).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(store.invoicePreview('acme', '2026-01', { markup: -1 })).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});
