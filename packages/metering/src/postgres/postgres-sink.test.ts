import { rowToRecord } from '@forge1/metering';
import { createPostgresSink, openPostgresUsageDatabase } from '@forge1/metering/postgres';
import { runSinkConformance, sampleUsageRecords } from '@forge1/metering/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const url = process.env.FORGE1_PG_URL;
if (!url) console.warn('FORGE1_PG_URL is not set: skipping the PostgreSQL sink tests');
const schema = `forge1_test_${process.pid}_${Date.now().toString(36)}`;
let tables = 0;

describe.skipIf(!url)('PostgreSQL sink', () => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  afterAll(async () => {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  runSinkConformance('postgres', () => {
    tables += 1;
    const table = `usage_${tables}`;
    return {
      sink: createPostgresSink({ connectionString: url!, schema, table }),
      async stored() {
        const { rows } = await pool.query(`select * from ${schema}.${table}`);
        return rows.map((row: Record<string, unknown>) => rowToRecord(row));
      },
    };
  });

  it('uses a host pool without ending it', async () => {
    const sink = createPostgresSink({ pool, schema, table: 'host_pool' });
    await sink.init();
    await sink.write(sampleUsageRecords(5));
    await sink.close();
    const { rows } = await pool.query(`select count(*)::int as n from ${schema}.host_pool`);
    expect(rows[0].n).toBe(5);
  });

  it('creates the three indexes of the usage table', async () => {
    const database = openPostgresUsageDatabase({ pool, schema, table: 'indexed' });
    await database.migrate();
    const { rows } = await pool.query(
      'select indexname from pg_indexes where schemaname = $1 and tablename = $2',
      [schema, 'indexed'],
    );
    expect(rows.map((row: { indexname: string }) => row.indexname)).toEqual(
      expect.arrayContaining(['indexed_tenant_time', 'indexed_client_period', 'indexed_employee_time']),
    );
  });
});

describe('openPostgresUsageDatabase', () => {
  it('needs a pool or a connection string', () => {
    expect(() => openPostgresUsageDatabase({})).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });
});
