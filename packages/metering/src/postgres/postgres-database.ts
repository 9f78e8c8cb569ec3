import { readOptions, ValidationError } from '@forge1/core';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { createUsageDatabase, type UsageDatabase, type UsageTables } from '../sql/usage-database.js';

/**
 * The subset of a `pg.Pool` that Forge1 calls, typed structurally so that a host passes its
 * own pool (or any compatible one) without a version lock on `pg`.
 */
export type PostgresPoolLike = PostgresPool;

/** Options of {@link openPostgresUsageDatabase}. Give `pool` or `connectionString`. */
export interface PostgresUsageDatabaseOptions {
  /** The host's pool; Forge1 never ends it. */
  pool?: PostgresPoolLike;
  /** A connection string; Forge1 creates a `pg.Pool` (the optional peer `pg` must be installed) and ends it on close. */
  connectionString?: string;
  /** Pool size when Forge1 creates the pool. @default 4 */
  maxConnections?: number;
  /** Schema of the table (created when missing). @default the connection's search path (usually public) */
  schema?: string;
  /** Name of the usage table. @default 'usage_records' */
  table?: string;
}

/**
 * Opens a PostgreSQL usage database through `pg` behind kysely's PostgreSQL dialect.
 * Call `migrate()` (the SQL sink does) before use.
 * @throws ValidationError when neither `pool` nor `connectionString` is given, or a name is not a plain identifier.
 * @example
 * ```ts
 * const database = openPostgresUsageDatabase({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export function openPostgresUsageDatabase(options: PostgresUsageDatabaseOptions): UsageDatabase {
  const { pool, connectionString } = readOptions(options, 'openPostgresUsageDatabase');
  if (!pool && !connectionString) {
    throw new ValidationError('postgres usage database options', [
      { path: 'pool', message: 'give a pool or a connectionString' },
    ]);
  }
  const createPool = async (): Promise<PostgresPool> => {
    const pg = await import('pg');
    const Pool = pg.default?.Pool ?? pg.Pool;
    return new Pool({ connectionString, max: options.maxConnections ?? 4 }) as unknown as PostgresPool;
  };
  const kysely = new Kysely<UsageTables>({ dialect: new PostgresDialect({ pool: pool ?? createPool }) });
  return createUsageDatabase({
    dialect: 'postgres',
    kysely,
    table: options.table ?? 'usage_records',
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    rowsPerStatement: 1000,
    // One array per column: 24 parameters whatever the batch size, one statement per batch.
    columnArrays: true,
    owned: pool === undefined,
  });
}
