import { ValidationError } from '@forge1/core';
import { type Kysely, type Migration, Migrator } from 'kysely';
import type { AuditEntry, AuditHead, AuditOutcome } from './audit-entry.js';

/** A stored audit entry row. */
export interface AuditRow {
  tenant_id: string;
  seq: number;
  request_id: string;
  timestamp: number;
  user_id: string | null;
  user_salt: string | null;
  user_digest: string | null;
  request_hash: string;
  answer_hash: string | null;
  outcome: string;
  error_code: string | null;
  level: string | null;
  provider: string | null;
  model: string | null;
  key_id: string | null;
  redactions: string;
  prev_hash: string;
  hash: string;
}

/** A stored chain head row. */
export interface AuditHeadRow {
  tenant_id: string;
  seq: number;
  hash: string;
  base_seq: number;
  base_hash: string;
}

/** The audit tables, whatever their names. */
export type AuditTables = Record<string, AuditRow & AuditHeadRow>;

/** SQL dialects the audit trail runs on. */
export type AuditDialect = 'sqlite' | 'postgres';

/** An audit database: kysely, the table names, migrations and ownership of the connection. */
export interface AuditDatabase {
  readonly dialect: AuditDialect;
  readonly db: Kysely<AuditTables>;
  /** Table of entries. */
  readonly entries: string;
  /** Table of chain heads, one row per tenant. */
  readonly heads: string;
  /** Creates the tables. Idempotent; runs the migrations once. */
  migrate(): Promise<void>;
  /** Closes the connection or pool when this database owns it. */
  destroy(): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/** Checks a table or schema name used in DDL. @throws ValidationError */
export function checkIdentifier(name: unknown, path: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ValidationError('audit database options', [
      { path, message: 'expected a plain SQL identifier (letters, digits, "_", at most 41)' },
    ]);
  }
  return name;
}

function migrations(prefix: string, schema: string | undefined): Record<string, Migration> {
  return {
    '0001_audit': {
      async up(raw: Kysely<unknown>) {
        if (schema) await raw.schema.createSchema(schema).ifNotExists().execute();
        const db = schema ? raw.withSchema(schema) : raw;
        await db.schema
          .createTable(`${prefix}_entries`)
          .ifNotExists()
          .addColumn('tenant_id', 'varchar(200)', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('request_id', 'varchar(200)', (c) => c.notNull())
          .addColumn('timestamp', 'bigint', (c) => c.notNull())
          .addColumn('user_id', 'varchar(200)')
          .addColumn('user_salt', 'varchar(64)')
          .addColumn('user_digest', 'varchar(64)')
          .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('answer_hash', 'varchar(64)')
          .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
          .addColumn('error_code', 'varchar(100)')
          .addColumn('level', 'varchar(16)')
          .addColumn('provider', 'varchar(100)')
          .addColumn('model', 'varchar(200)')
          .addColumn('key_id', 'varchar(200)')
          .addColumn('redactions', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('hash', 'varchar(64)', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${prefix}_entries_key`, ['tenant_id', 'seq'])
          .execute();
        await db.schema
          .createIndex(`${prefix}_entries_user`)
          .ifNotExists()
          .on(`${prefix}_entries`)
          .columns(['tenant_id', 'user_id'])
          .execute();
        await db.schema
          .createTable(`${prefix}_heads`)
          .ifNotExists()
          .addColumn('tenant_id', 'varchar(200)', (c) => c.primaryKey())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('base_seq', 'bigint', (c) => c.notNull())
          .addColumn('base_hash', 'varchar(64)', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/** What the dialect openers give to {@link createAuditDatabase}. */
export interface AuditDatabaseSettings {
  dialect: AuditDialect;
  kysely: Kysely<AuditTables>;
  /** Prefix of the table names (`<prefix>_entries`, `<prefix>_heads`). */
  prefix: string;
  schema?: string;
  /** Whether destroy() closes the underlying connection. */
  owned: boolean;
}

/** Builds an {@link AuditDatabase} over a kysely instance. @throws ValidationError on a bad name */
export function createAuditDatabase(settings: AuditDatabaseSettings): AuditDatabase {
  const { dialect, kysely, schema, owned } = settings;
  const prefix = checkIdentifier(settings.prefix, 'table');
  if (schema !== undefined) checkIdentifier(schema, 'schema');
  let migrated: Promise<void> | undefined;
  return {
    dialect,
    db: schema ? kysely.withSchema(schema) : kysely,
    entries: `${prefix}_entries`,
    heads: `${prefix}_heads`,
    migrate() {
      migrated ??= (async () => {
        const migrator = new Migrator({
          db: kysely,
          provider: { getMigrations: async () => migrations(prefix, schema) },
          migrationTableName: `${prefix}_migrations`,
          migrationLockTableName: `${prefix}_migrations_lock`,
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
    async destroy() {
      if (owned) await kysely.destroy();
    },
  };
}

/** An entry as a row. */
export function entryToRow(entry: AuditEntry): AuditRow {
  return {
    tenant_id: entry.tenantId,
    seq: entry.seq,
    request_id: entry.requestId,
    timestamp: entry.timestamp,
    user_id: entry.userId,
    user_salt: entry.userSalt,
    user_digest: entry.userDigest,
    request_hash: entry.requestHash,
    answer_hash: entry.answerHash,
    outcome: entry.outcome,
    error_code: entry.errorCode,
    level: entry.level,
    provider: entry.provider,
    model: entry.model,
    key_id: entry.keyId,
    redactions: JSON.stringify(entry.redactions),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

// PostgreSQL returns bigints as strings.
/** A row as an entry. */
export function rowToEntry(row: AuditRow): AuditEntry {
  let redactions: Record<string, number>;
  try {
    redactions = JSON.parse(row.redactions) as Record<string, number>;
  } catch {
    // An unreadable count no longer matches the hash: verification names the entry.
    redactions = { unreadable: -1 };
  }
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    requestId: row.request_id,
    timestamp: Number(row.timestamp),
    userId: row.user_id,
    userSalt: row.user_salt,
    userDigest: row.user_digest,
    requestHash: row.request_hash,
    answerHash: row.answer_hash,
    outcome: row.outcome as AuditOutcome,
    errorCode: row.error_code,
    level: row.level,
    provider: row.provider,
    model: row.model,
    keyId: row.key_id,
    redactions,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A head row as a head. */
export function rowToHead(row: AuditHeadRow): AuditHead {
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    hash: row.hash,
    baseSeq: Number(row.base_seq),
    baseHash: row.base_hash,
  };
}
