import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteSink, openSqliteUsageDatabase, rowToRecord } from '@forge1/metering';
import { runSinkConformance, sampleUsageRecords } from '@forge1/metering/testing';
import { describe, expect, it } from 'vitest';

runSinkConformance('sqlite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'forge1-sqlite-'));
  const path = join(directory, 'usage.db');
  const sink = createSqliteSink({ path });
  return {
    sink,
    async stored() {
      const reader = openSqliteUsageDatabase({ path });
      try {
        const rows = await reader.db.selectFrom(reader.table).selectAll().execute();
        return rows.map((row) => rowToRecord(row));
      } finally {
        await reader.destroy();
      }
    },
    async dispose() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe('createSqliteSink', () => {
  it('creates the table and its three indexes through migrations, once', async () => {
    const sink = createSqliteSink();
    await sink.init();
    await sink.database.migrate();
    const indexes = await sink.database.db
      .selectFrom('sqlite_master' as never)
      .select('name' as never)
      .where('type' as never, '=', 'index' as never)
      .execute();
    const names = indexes.map((row) => (row as { name: string }).name);
    expect(names).toEqual(
      expect.arrayContaining([
        'usage_records_tenant_time',
        'usage_records_client_period',
        'usage_records_employee_time',
      ]),
    );
    await sink.close();
  });

  it('reports how many records of a batch were new', async () => {
    const sink = createSqliteSink({ table: 'calls' });
    await sink.init();
    const records = sampleUsageRecords(1200);
    expect(await sink.database.insert(records.slice(0, 700))).toBe(700);
    expect(await sink.database.insert(records)).toBe(500);
    await sink.close();
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => createSqliteSink({ table: 'x; drop table y' })).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });
});
