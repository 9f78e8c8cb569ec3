import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { readOptions, ValidationError } from '@forge1/core';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import { type AuditDatabase, type AuditTables, createAuditDatabase } from './audit-database.js';

type SqliteValue = null | number | bigint | string | Uint8Array;

// node:sqlite takes neither booleans nor undefined as parameters.
const toSqlite = (parameters: ReadonlyArray<unknown>): SqliteValue[] =>
  parameters.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value as SqliteValue;
  });

/** Adapts `node:sqlite` to the statement shape kysely's SQLite dialect calls. */
function kyselySqlite(database: DatabaseSync): SqliteDatabase {
  const statements = new Map<string, { statement: StatementSync; reader: boolean }>();
  return {
    close: () => {
      statements.clear();
      if (database.isOpen) database.close();
    },
    prepare(sql) {
      let entry = statements.get(sql);
      if (!entry) {
        const statement = database.prepare(sql);
        entry = { statement, reader: statement.columns().length > 0 };
        if (statements.size >= 64) statements.clear();
        statements.set(sql, entry);
      }
      const { statement, reader } = entry;
      return {
        reader,
        all: (parameters) => statement.all(...toSqlite(parameters)),
        run: (parameters) => statement.run(...toSqlite(parameters)),
        iterate: (parameters) => statement.iterate(...toSqlite(parameters)),
      };
    },
  };
}

/** Options of {@link openSqliteAuditDatabase}. */
export interface SqliteAuditDatabaseOptions {
  /** Database file, or `':memory:'`. @default ':memory:' */
  path?: string;
  /** Prefix of the table names. @default 'audit' */
  table?: string;
}

/**
 * Opens (or creates) a SQLite audit database through Node's built-in `node:sqlite` behind
 * kysely's SQLite dialect. A file is opened in WAL mode with `synchronous = FULL`: a committed
 * entry survives a killed process and a power cut.
 * @throws ValidationError on a bad path or table name.
 * @example
 * ```ts
 * const audit = createAuditStore({ database: openSqliteAuditDatabase({ path: './audit.db' }) });
 * ```
 */
export function openSqliteAuditDatabase(input: SqliteAuditDatabaseOptions = {}): AuditDatabase {
  const options = readOptions(input, 'openSqliteAuditDatabase');
  const path = options.path ?? ':memory:';
  if (typeof path !== 'string' || path.length === 0) {
    throw new ValidationError('SQLite audit database options', [
      { path: 'path', message: 'expected a file path' },
    ]);
  }
  const prefix = options.table ?? 'audit';
  const database = new DatabaseSync(path);
  if (path !== ':memory:') {
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = FULL');
  }
  database.exec('PRAGMA busy_timeout = 5000');
  const kysely = new Kysely<AuditTables>({
    dialect: new SqliteDialect({ database: kyselySqlite(database) }),
  });
  return createAuditDatabase({ dialect: 'sqlite', kysely, prefix, owned: true });
}
