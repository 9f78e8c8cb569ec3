import { readOptions, ValidationError } from '@forge1/core';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { type AuditDatabase, type AuditTables, createAuditDatabase } from '../audit/audit-database.js';

/** The subset of a `pg.Pool` the audit trail calls (kysely's structural type). */
export type AuditPostgresPool = PostgresPool;

/** Options of {@link openPostgresAuditDatabase}. Give `pool` or `connectionString`. */
export interface PostgresAuditDatabaseOptions {
  /** The host's pool; Forge1 never ends it. */
  pool?: AuditPostgresPool;
  /** A connection string; Forge1 creates a `pg.Pool` (the optional peer `pg`) and ends it on close. */
  connectionString?: string;
  /** Pool size when Forge1 creates the pool. @default 4 */
  maxConnections?: number;
  /** Schema of the tables (created when missing). @default the connection's search path */
  schema?: string;
  /** Prefix of the table names. @default 'audit' */
  table?: string;
}

/**
 * Opens a PostgreSQL audit database through `pg` behind kysely's PostgreSQL dialect. Appends
 * lock the tenant's head row (`SELECT … FOR UPDATE`), so processes sharing the database extend
 * one chain per tenant without forks.
 * @throws ValidationError when neither `pool` nor `connectionString` is given, or a name is not a plain identifier.
 * @example
 * ```ts
 * const audit = createAuditStore({ database: openPostgresAuditDatabase({ connectionString: process.env.DATABASE_URL }) });
 * ```
 */
export function openPostgresAuditDatabase(options: PostgresAuditDatabaseOptions): AuditDatabase {
  const { pool, connectionString } = readOptions(options, 'openPostgresAuditDatabase');
  if (!pool && !connectionString) {
    throw new ValidationError('postgres audit database options', [
      { path: 'pool', message: 'give a pool or a connectionString' },
    ]);
  }
  const createPool = async (): Promise<PostgresPool> => {
    const pg = await import('pg');
    const Pool = pg.default?.Pool ?? pg.Pool;
    return new Pool({ connectionString, max: options.maxConnections ?? 4 }) as unknown as PostgresPool;
  };
  const kysely = new Kysely<AuditTables>({ dialect: new PostgresDialect({ pool: pool ?? createPool }) });
  return createAuditDatabase({
    dialect: 'postgres',
    kysely,
    prefix: options.table ?? 'audit',
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    owned: pool === undefined,
  });
}
