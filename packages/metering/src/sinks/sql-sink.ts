import type { MeterSinkV1 } from '@forge1/core';
import { checkFactoryOptions } from '../factory-options.js';
import { openSqliteUsageDatabase, type SqliteUsageDatabaseOptions } from '../sql/sqlite-database.js';
import type { UsageDatabase } from '../sql/usage-database.js';
import { readBatch } from './sink-batch.js';

/** A sink that stores records in a SQL usage table; `database` serves the usage store too. */
export interface SqlSink extends MeterSinkV1 {
  readonly database: UsageDatabase;
  init(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link createSqlSink}. */
export interface SqlSinkOptions {
  database: UsageDatabase;
  /** Sink name for events and journal cursors. @default `${dialect}` */
  name?: string;
  /** Close the database when the sink closes. @default true */
  closeDatabase?: boolean;
}

/**
 * A sink over any {@link UsageDatabase}: runs the migrations at init, then inserts each batch
 * in one transaction with multi-row `INSERT … ON CONFLICT (id) DO NOTHING`, so a record
 * delivered twice is stored once.
 * @example
 * ```ts
 * const sink = createSqlSink({ database: openSqliteUsageDatabase({ path: 'usage.db' }) });
 * ```
 */
export function createSqlSink(input: SqlSinkOptions): SqlSink {
  const options = checkFactoryOptions('sqlSink', input, 'SQL sink options');
  const { database } = options;
  return {
    specificationVersion: 'v1',
    name: options.name ?? database.dialect,
    database,
    init: () => database.migrate(),
    async write(batch) {
      const records = readBatch(batch, 'sqlSink.write');
      await database.migrate();
      await database.insert(records);
    },
    async close() {
      if (options.closeDatabase ?? true) await database.destroy();
    },
  };
}

/** Options of {@link createSqliteSink}. */
export interface SqliteSinkOptions extends SqliteUsageDatabaseOptions {
  /** Sink name. @default 'sqlite' */
  name?: string;
}

/**
 * The embedded default sink: SQLite through `node:sqlite` (a file in WAL mode, or `:memory:`).
 * @example
 * ```ts
 * const sink = createSqliteSink({ path: './data/usage.db' });
 * const meter = createMeter({ sinks: [sink] });
 * const usage = createUsageStore({ database: sink.database });
 * ```
 */
export function createSqliteSink(input?: SqliteSinkOptions): SqlSink {
  const options = checkFactoryOptions('sqliteDatabase', input, 'SQLite sink options');
  return createSqlSink({ database: openSqliteUsageDatabase(options), name: options.name ?? 'sqlite' });
}
