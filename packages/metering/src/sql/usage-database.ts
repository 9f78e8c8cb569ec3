import { type UsageRecord, ValidationError } from '@forge1/core';
import { CompiledQuery, type Kysely, type Migration, Migrator } from 'kysely';
import { addedCountColumns } from './usage-counts.js';
import { pushRowValues, type UsageRow, usageColumns } from './usage-row.js';

/** The tables of a usage database: one usage table, whatever its name. */
export type UsageTables = Record<string, UsageRow>;

/** SQL dialects the usage table and queries support. */
export type UsageDialect = 'sqlite' | 'postgres';

/**
 * A usage table in a SQL database, shared by the SQL sink and the usage store: the kysely
 * instance, the table, its migrations and the idempotent batch insert.
 */
export interface UsageDatabase {
  readonly dialect: UsageDialect;
  /** Kysely bound to the table's schema (PostgreSQL) or the main database (SQLite). */
  readonly db: Kysely<UsageTables>;
  /** Name of the usage table. */
  readonly table: string;
  /** Creates or upgrades the table and its indexes. Idempotent; runs the migrations once. */
  migrate(): Promise<void>;
  /** Inserts records in one transaction, skipping ids already stored; returns how many were new. */
  insert(records: readonly UsageRecord[]): Promise<number>;
  /** Closes the connection or pool, when this database owns it. */
  destroy(): Promise<void>;
  /** True once `destroy()` has been called: queries then reject with a `ClosedError`. */
  readonly closed?: boolean;
}

/** What the dialect-specific openers give to {@link createUsageDatabase}. */
export interface UsageDatabaseSettings {
  dialect: UsageDialect;
  kysely: Kysely<UsageTables>;
  table: string;
  schema?: string;
  /** Rows per INSERT statement; bounded by the dialect's parameter limit. */
  rowsPerStatement: number;
  /** Whether destroy() closes the underlying connection. */
  owned: boolean;
  /**
   * Insert one array parameter per column (`INSERT … SELECT * FROM unnest($1::type[], …)`)
   * instead of one parameter per value: PostgreSQL only, far fewer parameters to bind.
   */
  columnArrays?: boolean;
}

/** PostgreSQL types of the columns, in {@link usageColumns} order, for `unnest`. */
const postgresTypes: Record<(typeof usageColumns)[number], string> = {
  id: 'varchar',
  timestamp: 'int8',
  period: 'varchar',
  tenant_id: 'varchar',
  client_id: 'varchar',
  employee_id: 'varchar',
  user_id: 'varchar',
  session_id: 'varchar',
  request_id: 'varchar',
  attempt: 'int4',
  provider: 'varchar',
  model: 'varchar',
  key_id: 'varchar',
  input_tokens: 'int8',
  output_tokens: 'int8',
  cached_input_tokens: 'int8',
  cost_micros: 'int8',
  latency_ms: 'int4',
  status: 'varchar',
  error_code: 'varchar',
  level: 'varchar',
  cascaded: 'int2',
  fallback: 'int2',
  metadata: 'text',
  cache_write_input_tokens: 'int8',
  cache_write_1h_input_tokens: 'int8',
  reasoning_tokens: 'int8',
  text_parts: 'int4',
  image_parts: 'int4',
  file_parts: 'int4',
  purpose: 'varchar',
  estimated: 'int2',
  annotations: 'text',
};

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/** Checks a table or schema name used in DDL. @throws ValidationError */
export function checkIdentifier(name: string, what: string): string {
  if (typeof name !== 'string' || !TABLE_NAME.test(name)) {
    throw new ValidationError('usage database options', [
      {
        path: what,
        message: `expected a plain SQL identifier, got ${typeof name === 'string' ? JSON.stringify(name) : typeof name}`,
      },
    ]);
  }
  return name;
}

function usageMigrations(table: string, schema: string | undefined): Record<string, Migration> {
  return {
    '0001_usage_records': {
      async up(raw: Kysely<unknown>) {
        if (schema) await raw.schema.createSchema(schema).ifNotExists().execute();
        const db = schema ? raw.withSchema(schema) : raw;
        await db.schema
          .createTable(table)
          .ifNotExists()
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('timestamp', 'bigint', (c) => c.notNull())
          .addColumn('period', 'varchar(7)', (c) => c.notNull())
          .addColumn('tenant_id', 'varchar(200)', (c) => c.notNull())
          .addColumn('client_id', 'varchar(200)')
          .addColumn('employee_id', 'varchar(200)')
          .addColumn('user_id', 'varchar(200)')
          .addColumn('session_id', 'varchar(200)')
          .addColumn('request_id', 'varchar(200)', (c) => c.notNull())
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('provider', 'varchar(100)', (c) => c.notNull())
          .addColumn('model', 'varchar(200)', (c) => c.notNull())
          .addColumn('key_id', 'varchar(200)')
          .addColumn('input_tokens', 'bigint', (c) => c.notNull())
          .addColumn('output_tokens', 'bigint', (c) => c.notNull())
          .addColumn('cached_input_tokens', 'bigint', (c) => c.notNull())
          .addColumn('cost_micros', 'bigint', (c) => c.notNull())
          .addColumn('latency_ms', 'integer', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('error_code', 'varchar(100)')
          .addColumn('level', 'varchar(16)')
          .addColumn('cascaded', 'smallint', (c) => c.notNull())
          .addColumn('fallback', 'smallint', (c) => c.notNull())
          .addColumn('metadata', 'text')
          .execute();
        const index = (name: string, columns: string[]) =>
          db.schema.createIndex(`${table}_${name}`).ifNotExists().on(table).columns(columns).execute();
        await index('tenant_time', ['tenant_id', 'timestamp']);
        await index('client_period', ['client_id', 'period']);
        await index('employee_time', ['employee_id', 'timestamp']);
      },
    },
    // Totals of purged records per tenant, period and model, so invoices survive retention.
    '0002_usage_rollups': {
      async up(raw: Kysely<unknown>) {
        const db = schema ? raw.withSchema(schema) : raw;
        await db.schema
          .createTable(`${table}_rollups`)
          .ifNotExists()
          .addColumn('tenant_id', 'varchar(200)', (c) => c.notNull())
          .addColumn('period', 'varchar(7)', (c) => c.notNull())
          .addColumn('provider', 'varchar(100)', (c) => c.notNull())
          .addColumn('model', 'varchar(200)', (c) => c.notNull())
          .addColumn('requests', 'bigint', (c) => c.notNull())
          .addColumn('input_tokens', 'bigint', (c) => c.notNull())
          .addColumn('output_tokens', 'bigint', (c) => c.notNull())
          .addColumn('cached_input_tokens', 'bigint', (c) => c.notNull())
          .addColumn('cost_micros', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_rollups_key`, ['tenant_id', 'period', 'provider', 'model'])
          .execute();
      },
    },
    // Every token kind and the content parts per kind; 0 on rows written before.
    '0003_token_kinds_and_parts': {
      async up(raw: Kysely<unknown>) {
        const db = schema ? raw.withSchema(schema) : raw;
        for (const target of [table, `${table}_rollups`]) {
          for (const column of addedCountColumns) {
            await db.schema
              .alterTable(target)
              .addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0))
              .execute();
          }
        }
      },
    },
    // The gateway's purpose, estimated flag and middleware annotations (JSON text).
    '0004_purpose_estimated_annotations': {
      async up(raw: Kysely<unknown>) {
        const db = schema ? raw.withSchema(schema) : raw;
        await db.schema.alterTable(table).addColumn('purpose', 'varchar(16)').execute();
        await db.schema
          .alterTable(table)
          .addColumn('estimated', 'smallint', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable(table).addColumn('annotations', 'text').execute();
      },
    },
  };
}

/** Builds a {@link UsageDatabase} over a kysely instance; used by the SQLite and PostgreSQL openers. */
export function createUsageDatabase(settings: UsageDatabaseSettings): UsageDatabase {
  const { dialect, kysely, table, schema, rowsPerStatement, owned } = settings;
  checkIdentifier(table, 'table');
  if (schema !== undefined) checkIdentifier(schema, 'schema');
  const db = schema ? kysely.withSchema(schema) : kysely;
  const statements = new Map<number, string>();
  let migrated: Promise<void> | undefined;
  let closed = false;

  // The INSERT text depends only on the row count: build it once per count and reuse it,
  // so the driver's prepared statement cache hits and no query tree is built per row.
  const statementFor = (rows: number): string => {
    let text = statements.get(rows);
    if (!text) {
      const placeholder = Object.fromEntries(
        usageColumns.map((column) => [column, null]),
      ) as unknown as UsageRow;
      text = db
        .insertInto(table)
        .values(Array.from({ length: rows }, () => placeholder))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .compile().sql;
      statements.set(rows, text);
    }
    return text;
  };

  const unnestStatement = () => {
    const target = schema ? `"${schema}"."${table}"` : `"${table}"`;
    const columns = usageColumns.map((column) => `"${column}"`).join(', ');
    const arrays = usageColumns.map((column, i) => `$${i + 1}::${postgresTypes[column]}[]`).join(', ');
    return `insert into ${target} (${columns}) select * from unnest(${arrays}) on conflict ("id") do nothing`;
  };

  const columnParameters = (records: readonly UsageRecord[]) => {
    const columns: unknown[][] = usageColumns.map(() => new Array(records.length));
    const row: unknown[] = [];
    records.forEach((record, r) => {
      row.length = 0;
      pushRowValues(record, row);
      for (let c = 0; c < row.length; c++) columns[c]![r] = row[c];
    });
    return columns;
  };

  return {
    dialect,
    db,
    table,
    migrate() {
      migrated ??= (async () => {
        const migrator = new Migrator({
          db: kysely,
          provider: { getMigrations: async () => usageMigrations(table, schema) },
          migrationTableName: `${table}_migrations`,
          migrationLockTableName: `${table}_migrations_lock`,
          ...(schema ? { migrationTableSchema: schema } : {}),
        });
        const { error } = await migrator.migrateToLatest();
        if (error) throw error;
      })().catch((error: unknown) => {
        migrated = undefined;
        throw error;
      });
      return migrated;
    },
    async insert(records) {
      if (records.length === 0) return 0;
      if (settings.columnArrays) {
        const result = await kysely.executeQuery(
          CompiledQuery.raw(unnestStatement(), columnParameters(records)),
        );
        return Number(result.numAffectedRows ?? 0n);
      }
      return kysely.transaction().execute(async (transaction) => {
        let inserted = 0;
        for (let start = 0; start < records.length; start += rowsPerStatement) {
          const chunk = records.slice(start, start + rowsPerStatement);
          const parameters: unknown[] = [];
          for (const record of chunk) pushRowValues(record, parameters);
          const result = await transaction.executeQuery(
            CompiledQuery.raw(statementFor(chunk.length), parameters),
          );
          inserted += Number(result.numAffectedRows ?? 0n);
        }
        return inserted;
      });
    },
    async destroy() {
      closed = true;
      if (owned) await kysely.destroy();
    },
    get closed() {
      return closed;
    },
  };
}
