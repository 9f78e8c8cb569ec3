import { createSqliteSink, createUsageStore, type SqlSink, type UsageStore } from '@forge1/metering';
import { createPostgresSink } from '@forge1/metering/postgres';
import { sampleUsageRecords } from '@forge1/metering/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const url = process.env.FORGE1_PG_URL;
if (!url) console.warn('FORGE1_PG_URL is not set: the retention tests run on SQLite only');
const schema = `forge1_retention_${process.pid}_${Date.now().toString(36)}`;
const JAN = Date.UTC(2026, 0, 1);
const FEB_10 = Date.UTC(2026, 1, 10);

const dialects: Array<[string, () => SqlSink]> = [['SQLite', () => createSqliteSink()]];
if (url) dialects.push(['PostgreSQL', () => createPostgresSink({ connectionString: url, schema })]);

describe.each(dialects)('usage retention and erasure on %s', (_, open) => {
  // Records every 20 minutes from January into March, two tenants.
  const records = sampleUsageRecords(6000, { start: JAN, stepMs: 20 * 60_000, tenants: ['acme', 'globex'] });
  let sink: SqlSink;
  let store: UsageStore;

  beforeAll(async () => {
    sink = open();
    await sink.init();
    await sink.write(records);
    store = createUsageStore({ database: sink.database });
  });
  afterAll(async () => {
    await sink.close();
    if (url) {
      const pool = new pg.Pool({ connectionString: url });
      await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    }
  });

  it('deletes only old records of one tenant and keeps the invoices of purged periods exact', async () => {
    const before = {
      january: await store.invoicePreview('acme', '2026-01', { markup: 0.1 }),
      february: await store.invoicePreview('acme', '2026-02', { markup: 0.1 }),
      spend: await store.spend('acme', '2026-02'),
      globex: await store.totals('globex'),
    };
    const oldAcme = records.filter((record) => record.tenantId === 'acme' && record.timestamp < FEB_10);

    const result = await store.purgeBefore('acme', new Date(FEB_10));

    expect(result).toEqual({ deleted: oldAcme.length, periods: ['2026-01', '2026-02'] });
    expect(await store.invoicePreview('acme', '2026-01', { markup: 0.1 })).toEqual(before.january);
    expect(await store.invoicePreview('acme', '2026-02', { markup: 0.1 })).toEqual(before.february);
    expect(await store.spend('acme', '2026-02')).toBe(before.spend);
    expect(await store.totals('globex')).toEqual(before.globex);
    const kept = JSON.parse(await store.exportTenant('acme', 'json')) as Array<{ timestamp: number }>;
    expect(kept.every((record) => record.timestamp >= FEB_10)).toBe(true);
  });

  it('adds a later purge of the same period to the rollups already kept', async () => {
    const february = await store.invoicePreview('acme', '2026-02');
    const second = await store.purgeBefore('acme', Date.UTC(2026, 1, 20));
    expect(second.deleted).toBeGreaterThan(0);
    expect((await store.invoicePreview('acme', '2026-02')).subtotalMicros).toBe(february.subtotalMicros);
    expect(await store.purgeBefore('acme', Date.UTC(2026, 1, 20))).toEqual({ deleted: 0, periods: [] });
  });

  it('replaces one user id by a pseudonym in every record of the tenant, totals unchanged', async () => {
    const users = await store.usageBy('globex', 'user');
    const target = users.find((group) => group.key !== '(none)')!;
    const changed = await store.pseudonymiseUser('globex', target.key, 'erased-7f3a');
    expect(changed).toBeGreaterThan(0);
    const after = await store.usageBy('globex', 'user');
    expect(after.map((group) => group.key)).not.toContain(target.key);
    expect(after.find((group) => group.key === 'erased-7f3a')).toEqual({ ...target, key: 'erased-7f3a' });
  });

  it('refuses a bad cutoff, user id or pseudonym', async () => {
    await expect(store.purgeBefore('acme', Number.NaN)).rejects.toMatchObject({ code: 'validation_error' });
    await expect(store.purgeBefore('', 0)).rejects.toMatchObject({ code: 'validation_error' });
    await expect(store.pseudonymiseUser('acme', '', 'x')).rejects.toMatchObject({ code: 'validation_error' });
    await expect(store.pseudonymiseUser('acme', 'u1', 'a b')).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});
