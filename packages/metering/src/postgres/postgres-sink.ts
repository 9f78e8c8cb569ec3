import { readOptions } from '@forge1/core';
import { createSqlSink, type SqlSink } from '../sinks/sql-sink.js';
import { openPostgresUsageDatabase, type PostgresUsageDatabaseOptions } from './postgres-database.js';

/** Options of {@link createPostgresSink}. */
export interface PostgresSinkOptions extends PostgresUsageDatabaseOptions {
  /** Sink name. @default 'postgres' */
  name?: string;
}

/**
 * The scale-out sink: PostgreSQL through `pg`, same table and migrations as SQLite.
 * A pool given by the host is never ended; a pool made from `connectionString` is ended on close.
 * @throws ValidationError without a pool or connection string, or on a bad table or schema name.
 * @example
 * ```ts
 * import { createPostgresSink } from '@forge1/metering/postgres';
 * const sink = createPostgresSink({ pool: hostPool, schema: 'billing' });
 * ```
 */
export function createPostgresSink(input: PostgresSinkOptions): SqlSink {
  const options = readOptions(input, 'createPostgresSink');
  return createSqlSink({ database: openPostgresUsageDatabase(options), name: options.name ?? 'postgres' });
}
