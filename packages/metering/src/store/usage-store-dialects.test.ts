import { createSqliteSink, createUsageStore, type UsageStore } from '@forge1/metering';
import { createPostgresSink } from '@forge1/metering/postgres';
import { sampleUsageRecords } from '@forge1/metering/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const url = process.env.FORGE1_PG_URL;
if (!url) console.warn('FORGE1_PG_URL is not set: skipping the SQLite-versus-PostgreSQL usage query test');
const schema = `forge1_store_${process.pid}_${Date.now().toString(36)}`;

describe.skipIf(!url)('usage queries give the same answers on SQLite and PostgreSQL', () => {
  const records = sampleUsageRecords(4000, {
    start: Date.UTC(2026, 0, 1),
    stepMs: 17 * 60_000,
    tenants: ['acme', 'globex'],
  });
  let sqlite: ReturnType<typeof createSqliteSink>;
  let postgres: ReturnType<typeof createPostgresSink>;
  let stores: UsageStore[];

  beforeAll(async () => {
    sqlite = createSqliteSink();
    postgres = createPostgresSink({ connectionString: url!, schema });
    for (const sink of [sqlite, postgres]) {
      await sink.init();
      await sink.write(records);
    }
    stores = [
      createUsageStore({ database: sqlite.database }),
      createUsageStore({ database: postgres.database }),
    ];
  });
  afterAll(async () => {
    await sqlite.close();
    await postgres.close();
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  const range = { from: Date.UTC(2026, 0, 10), to: Date.UTC(2026, 1, 3) };
  const queries: Record<string, (store: UsageStore) => Promise<unknown>> = {
    totals: (store) => store.totals('acme'),
    'totals in a range': (store) => store.totals('acme', range),
    ...Object.fromEntries(
      (['period', 'model', 'provider', 'employee', 'user', 'client', 'day', 'level'] as const).map(
        (groupBy) => [`usage by ${groupBy}`, (store: UsageStore) => store.usageBy('acme', groupBy, range)],
      ),
    ),
    spend: (store) => store.spend('globex', '2026-02'),
    'model share': (store) => store.modelShare('acme'),
    'top users': (store) => store.topUsers('globex', { limit: 3, by: 'requests' }),
    invoice: (store) =>
      store.invoicePreview('acme', '2026-01', { markup: 0.1, plan: { allowanceMicros: 5_000_000 } }),
    'JSON export': (store) => store.exportTenant('globex', 'json', range),
    'CSV export': (store) => store.exportTenant('globex', 'csv', range),
    'admin summary': (store) => store.adminSummary(range),
  };

  for (const [name, query] of Object.entries(queries)) {
    it(name, async () => {
      const [onSqlite, onPostgres] = await Promise.all(stores.map(query));
      expect(onPostgres).toEqual(onSqlite);
      expect(JSON.stringify(onSqlite)).not.toMatch(/^(\[\]|0|\{\})$/);
    });
  }
});
