import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { UsageRecord } from '@forge1/core';
import {
  type NodeSqliteDatabase,
  openSqliteUsageDatabase,
  rowToRecord,
  type SqliteValue,
  toKyselySqlite,
  usageColumns,
} from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { describe, expect, it } from 'vitest';
import { addedCountColumns } from './usage-counts.js';

describe('toKyselySqlite', () => {
  it('tells readers from writers and spreads array parameters', () => {
    const database = toKyselySqlite(new DatabaseSync(':memory:'));
    const create = database.prepare('create table t (a integer, b text)');
    expect(create.reader).toBe(false);
    create.run([]);
    expect(database.prepare('insert into t values (?, ?)').run([true, undefined]).changes).toBe(1);
    const select = database.prepare('select a, b from t');
    expect(select.reader).toBe(true);
    expect(select.all([]).map((row) => ({ ...(row as object) }))).toEqual([{ a: 1, b: null }]);
    database.close();
  });

  it('takes any database of the structural NodeSqliteDatabase shape, node:sqlite included', () => {
    const native: NodeSqliteDatabase = new DatabaseSync(':memory:');
    const bound: SqliteValue[] = [];
    const fake: NodeSqliteDatabase = {
      isOpen: true,
      close() {},
      prepare: () => ({
        columns: () => [{ name: 'x' }],
        all: (...parameters) => {
          bound.push(...parameters);
          return [{ x: 1 }];
        },
        run: () => ({ changes: 0, lastInsertRowid: 0 }),
        iterate: () => [][Symbol.iterator](),
      }),
    };
    expect(toKyselySqlite(fake).prepare('select ?').all([false])).toEqual([{ x: 1 }]);
    expect(bound).toEqual([0]);
    native.close();
  });
});

describe('openSqliteUsageDatabase', () => {
  it('stores rows with one column per record field and reads them back as records', async () => {
    const database = openSqliteUsageDatabase();
    await database.migrate();
    const records = sampleUsageRecords(30);
    await database.insert(records);
    const rows = await database.db.selectFrom(database.table).selectAll().orderBy('id').execute();
    expect(Object.keys(rows[0]!)).toEqual([...usageColumns]);
    expect(rows.map((row) => rowToRecord(row))).toEqual(records);
    await database.destroy();
  });
});

const laterColumns = ['purpose', 'estimated', 'annotations'] as const;

describe('migrations 0003 and 0004 (token kinds, content parts, purpose, estimated, annotations)', () => {
  it('adds the new columns to a table written before it, reading old rows as zeros', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'forge1-migrate-')), 'usage.db');
    const first = openSqliteUsageDatabase({ path });
    await first.migrate();
    await first.destroy();
    // Turn the file back into what migrations 0001 and 0002 left, with one row written then.
    const raw = new DatabaseSync(path);
    for (const target of ['usage_records', 'usage_records_rollups']) {
      for (const column of addedCountColumns) raw.exec(`alter table ${target} drop column ${column}`);
    }
    for (const column of laterColumns) raw.exec(`alter table usage_records drop column ${column}`);
    raw.exec(`delete from usage_records_migrations where name >= '0003'`);
    const [old] = sampleUsageRecords(1);
    const newer: readonly string[] = [...addedCountColumns, ...laterColumns];
    const oldColumns = usageColumns.filter((column) => !newer.includes(column));
    const values = oldColumns.map((column) => {
      const value = (rowOf(old!) as Record<string, unknown>)[column];
      return value === undefined ? null : value;
    });
    raw
      .prepare(
        `insert into usage_records (${oldColumns.join(', ')}) values (${oldColumns.map(() => '?').join(', ')})`,
      )
      .run(...(values as Array<string | number | null>));
    raw.close();

    const upgraded = openSqliteUsageDatabase({ path });
    await upgraded.migrate();
    const rows = await upgraded.db.selectFrom(upgraded.table).selectAll().execute();
    expect(Object.keys(rows[0]!)).toEqual([...usageColumns]);
    const {
      cacheWriteInputTokens,
      cacheWrite1hInputTokens,
      reasoningTokens,
      textParts,
      imageParts,
      fileParts,
      purpose,
      estimated,
      annotations,
      ...rest
    } = old!;
    expect(rowToRecord(rows[0]!)).toEqual(rest);
    const [fresh] = sampleUsageRecords(1, { seed: 99 });
    await upgraded.insert([{ ...fresh!, cacheWriteInputTokens: 7, reasoningTokens: 3, imageParts: 2 }]);
    const stored = await upgraded.db
      .selectFrom(upgraded.table)
      .selectAll()
      .where('id', '=', fresh!.id)
      .execute();
    expect(rowToRecord(stored[0]!)).toMatchObject({
      cacheWriteInputTokens: 7,
      reasoningTokens: 3,
      imageParts: 2,
    });
    await upgraded.destroy();
  });
});

/** A record as the row values the old schema took. */
function rowOf(record: UsageRecord): Record<string, unknown> {
  return {
    id: record.id,
    timestamp: record.timestamp,
    period: record.period,
    tenant_id: record.tenantId,
    client_id: record.clientId ?? null,
    employee_id: record.employeeId ?? null,
    user_id: record.userId ?? null,
    session_id: record.sessionId ?? null,
    request_id: record.requestId,
    attempt: record.attempt,
    provider: record.provider,
    model: record.model,
    key_id: record.keyId ?? null,
    input_tokens: record.inputTokens,
    output_tokens: record.outputTokens,
    cached_input_tokens: record.cachedInputTokens,
    cost_micros: record.costMicros,
    latency_ms: record.latencyMs,
    status: record.status,
    error_code: record.errorCode ?? null,
    level: record.level ?? null,
    cascaded: record.cascaded ? 1 : 0,
    fallback: record.fallback ? 1 : 0,
    metadata: record.metadata === undefined ? null : JSON.stringify(record.metadata),
  };
}
