import { DatabaseSync } from 'node:sqlite';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { checkFactoryOptions } from '../factory-options.js';
import { createUsageDatabase, type UsageDatabase, type UsageTables } from './usage-database.js';

/** A value `node:sqlite` binds as a parameter. */
export type SqliteValue = null | number | bigint | string | Uint8Array;

// node:sqlite accepts neither booleans nor undefined as parameters.
const toSqlite = (parameters: ReadonlyArray<unknown>): SqliteValue[] =>
  parameters.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value as SqliteValue;
  });

const STATEMENT_CACHE = 64;

/** A prepared statement of {@link NodeSqliteDatabase}: the members of `node:sqlite`'s `StatementSync` used here. */
export interface NodeSqliteStatement {
  columns(): readonly unknown[];
  all(...parameters: SqliteValue[]): unknown[];
  run(...parameters: SqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: SqliteValue[]): IterableIterator<unknown>;
}

/**
 * The members of `node:sqlite`'s `DatabaseSync` that {@link toKyselySqlite} calls. Structural, so the
 * package's declarations need no Node type definitions in a consumer that does not use SQLite.
 */
export interface NodeSqliteDatabase {
  readonly isOpen: boolean;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}

/**
 * Adapts a `node:sqlite` database to what kysely's `SqliteDialect` calls (the better-sqlite3
 * shape): statements expose `reader`, and take their parameters as one array. Prepared
 * statements are cached by SQL text.
 */
export function toKyselySqlite(database: NodeSqliteDatabase): SqliteDatabase {
  const cache = new Map<string, { statement: NodeSqliteStatement; reader: boolean }>();
  const prepare = (sql: string) => {
    let entry = cache.get(sql);
    if (entry) {
      cache.delete(sql);
    } else {
      const statement = database.prepare(sql);
      entry = { statement, reader: statement.columns().length > 0 };
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, entry);
    return entry;
  };
  return {
    close: () => {
      cache.clear();
      if (database.isOpen) database.close();
    },
    prepare(sql): SqliteStatement {
      const { statement, reader } = prepare(sql);
      return {
        reader,
        all: (parameters) => statement.all(...toSqlite(parameters)),
        run: (parameters) => statement.run(...toSqlite(parameters)),
        iterate: (parameters) => statement.iterate(...toSqlite(parameters)),
      };
    },
  };
}

/** Options of {@link openSqliteUsageDatabase}. */
export interface SqliteUsageDatabaseOptions {
  /** Database file, or `':memory:'`. A file is opened in WAL mode. @default ':memory:' */
  path?: string;
  /** Name of the usage table. @default 'usage_records' */
  table?: string;
}

/**
 * Opens (or creates) a SQLite usage database through Node's built-in `node:sqlite` behind
 * kysely's SQLite dialect. Call `migrate()` (the SQL sink does) before use.
 * @throws ValidationError when the table name is not a plain identifier.
 * @example
 * ```ts
 * const database = openSqliteUsageDatabase({ path: './usage.db' });
 * await database.migrate();
 * ```
 */
export function openSqliteUsageDatabase(input?: SqliteUsageDatabaseOptions): UsageDatabase {
  const options = checkFactoryOptions('sqliteDatabase', input, 'SQLite usage database options');
  const path = options.path ?? ':memory:';
  const database = new DatabaseSync(path);
  if (path !== ':memory:') {
    database.exec('PRAGMA journal_mode = WAL');
    // WAL with NORMAL sync stays consistent after a crash; the meter's journal covers the rest.
    database.exec('PRAGMA synchronous = NORMAL');
  }
  database.exec('PRAGMA busy_timeout = 5000');
  const kysely = new Kysely<UsageTables>({
    dialect: new SqliteDialect({ database: toKyselySqlite(database) }),
  });
  return createUsageDatabase({
    dialect: 'sqlite',
    kysely,
    table: options.table ?? 'usage_records',
    rowsPerStatement: 500,
    owned: true,
  });
}
