import { DatabaseSync } from 'node:sqlite';
import { openSqliteUsageDatabase, rowToRecord, toKyselySqlite, usageColumns } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { describe, expect, it } from 'vitest';

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
