import { randomBytes } from 'node:crypto';
import {
  asInputError,
  type Clock,
  expectObject,
  readOptions,
  systemClock,
  ValidationError,
} from '@forge1/core';
import { type Kysely, sql } from 'kysely';
import type { AuditDatabase, AuditHeadRow, AuditRow } from './audit-database.js';
import { entryToRow, rowToEntry, rowToHead } from './audit-database.js';
import {
  type AuditEntry,
  type AuditHead,
  type AuditInput,
  entryHash,
  genesisHash,
  normaliseCounts,
  userDigestOf,
} from './audit-entry.js';
import { type AuditVerification, verifyAuditLog } from './verify.js';

/** Options of {@link createAuditStore}. */
export interface AuditStoreOptions {
  /** Where entries live: `openSqliteAuditDatabase()` or `openPostgresAuditDatabase()`. */
  database: AuditDatabase;
  /**
   * Secret for HMAC-SHA-256 chain hashes. Without it anyone with write access can rebuild a
   * consistent chain; with it, verification names the first forged entry exactly.
   */
  key?: string;
  /** Salts of user digests. @default 16 random bytes from node:crypto */
  salt?: () => string;
  /** Time of purges. @default the system clock */
  clock?: Clock;
}

/** What `purgeBefore` removed from a chain. */
export interface AuditPurgeResult {
  deleted: number;
  /** Sequence number the chain now starts after. */
  baseSeq: number;
}

/** A tamper-evident audit trail: one hash chain per tenant, in SQL. */
export interface AuditStore {
  /** Appends one entry to its tenant's chain in one transaction; resolves once committed. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** The tenant's chain head (seq 0 and the genesis hash when empty). */
  head(tenantId: string): Promise<AuditHead>;
  /** The tenant's entries in chain order. */
  entries(tenantId: string): Promise<AuditEntry[]>;
  /** Verifies the tenant's chain against its head. */
  verify(tenantId: string): Promise<AuditVerification>;
  /** The tenant's head and entries, as one JSON document or JSON lines (head first). */
  exportTenant(tenantId: string, format?: 'json' | 'jsonl'): Promise<string>;
  /** Retention: deletes the oldest entries up to the last one before `before`; the head keeps where the chain now starts. */
  purgeBefore(tenantId: string, before: Date | number): Promise<AuditPurgeResult>;
  /** Erasure: replaces the user id by `pseudonym` and deletes its salt in every entry; the chain stays valid. */
  eraseUser(tenantId: string, userId: string, pseudonym: string): Promise<number>;
  /** Closes the database when the store opened it. */
  close(): Promise<void>;
}

type Db = Kysely<Record<string, AuditRow & AuditHeadRow>>;

const ID = /^[^\s]{1,200}$/;

function checkId(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new ValidationError('audit entry', [{ path, message: 'expected 1-200 characters without spaces' }]);
  }
  return value;
}

const optionalFields = ['userId', 'answerHash', 'errorCode', 'level', 'provider', 'model', 'keyId'] as const;

function checkInput(input: AuditInput): void {
  checkId(input.tenantId, 'tenantId');
  checkId(input.requestId, 'requestId');
  if (input.userId !== undefined) checkId(input.userId, 'userId');
  for (const field of optionalFields) {
    const value = input[field];
    if (value !== undefined && typeof value !== 'string') {
      throw new ValidationError('audit entry', [{ path: field, message: 'expected a string' }]);
    }
  }
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new ValidationError('audit entry', [{ path: 'timestamp', message: 'expected epoch ms' }]);
  }
  if (
    typeof input.requestHash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(input.requestHash) ||
    (input.answerHash !== undefined && !/^[0-9a-f]{64}$/.test(input.answerHash))
  ) {
    throw new ValidationError('audit entry', [{ path: 'requestHash', message: 'expected SHA-256 hex' }]);
  }
  if (!['ok', 'blocked', 'error'].includes(input.outcome)) {
    throw new ValidationError('audit entry', [
      { path: 'outcome', message: "expected 'ok', 'blocked' or 'error'" },
    ]);
  }
}

/**
 * The entry to append, read once (a shallow copy, its redaction counts normalised) and checked:
 * a caller's getter or Proxy trap that throws is a validation_error, and nothing read later in
 * the transaction can differ from what was checked.
 */
function readInput(value: AuditInput): AuditInput {
  expectObject(value, 'auditStore.append', 'input');
  try {
    const input = { ...value };
    checkInput(input);
    input.redactions = normaliseCounts(input.redactions);
    return input;
  } catch (thrown) {
    throw asInputError(thrown, 'auditStore.append');
  }
}

/**
 * An audit trail over an {@link AuditDatabase}. An append reads and moves the tenant's head in
 * the same transaction as the insert (row-locked on PostgreSQL), so an entry is either fully
 * committed with its head or absent, and concurrent writers never fork a chain.
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const audit = createAuditStore({ database: openSqliteAuditDatabase({ path: 'audit.db' }) });
 * const result = await audit.verify('acme');
 * ```
 */
export function createAuditStore(options: AuditStoreOptions): AuditStore {
  const { database, key } = readOptions(options, 'createAuditStore');
  if (!database || typeof database.migrate !== 'function') {
    throw new ValidationError('audit store options', [
      { path: 'database', message: 'expected an audit database' },
    ]);
  }
  const salt = options.salt ?? (() => randomBytes(16).toString('hex'));
  const clock = options.clock ?? systemClock;
  const db = database.db as unknown as Db;
  const { entries: entriesTable, heads } = database;
  const ready = () => database.migrate();
  const emptyHead = (tenantId: string): AuditHeadRow => ({
    tenant_id: tenantId,
    seq: 0,
    hash: genesisHash,
    base_seq: 0,
    base_hash: genesisHash,
  });

  const lockHead = async (transaction: Db, tenantId: string): Promise<AuditHead> => {
    await transaction
      .insertInto(heads)
      .values(emptyHead(tenantId) as never)
      .onConflict((conflict) => conflict.column('tenant_id').doNothing())
      .execute();
    let query = transaction.selectFrom(heads).selectAll().where('tenant_id', '=', tenantId);
    if (database.dialect === 'postgres') query = query.forUpdate();
    return rowToHead((await query.executeTakeFirstOrThrow()) as AuditHeadRow);
  };

  const readEntries = async (tenantId: string) => {
    await ready();
    const rows = await db
      .selectFrom(entriesTable)
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('seq')
      .orderBy('hash')
      .execute();
    return (rows as AuditRow[]).map(rowToEntry);
  };

  const readHead = async (tenantId: string): Promise<AuditHead> => {
    await ready();
    const row = await db.selectFrom(heads).selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    return rowToHead((row as AuditHeadRow | undefined) ?? emptyHead(tenantId));
  };

  return {
    async append(value) {
      const input = readInput(value);
      await ready();
      return db.transaction().execute(async (transaction) => {
        const head = await lockHead(transaction, input.tenantId);
        const userSalt = input.userId === undefined ? null : salt();
        const fields: Omit<AuditEntry, 'hash'> = {
          tenantId: input.tenantId,
          seq: head.seq + 1,
          requestId: input.requestId,
          timestamp: input.timestamp,
          userId: input.userId ?? null,
          userSalt,
          userDigest: userSalt === null ? null : userDigestOf(userSalt, input.userId!),
          requestHash: input.requestHash,
          answerHash: input.answerHash ?? null,
          outcome: input.outcome,
          errorCode: input.errorCode ?? null,
          level: input.level ?? null,
          provider: input.provider ?? null,
          model: input.model ?? null,
          keyId: input.keyId ?? null,
          redactions: input.redactions!,
          prevHash: head.hash,
        };
        const entry: AuditEntry = { ...fields, hash: entryHash(fields, key) };
        await transaction
          .insertInto(entriesTable)
          .values(entryToRow(entry) as never)
          .execute();
        await transaction
          .updateTable(heads)
          .set({ seq: entry.seq, hash: entry.hash })
          .where('tenant_id', '=', input.tenantId)
          .execute();
        return entry;
      });
    },
    head: (tenantId) => readHead(checkId(tenantId, 'tenantId')),
    entries: (tenantId) => readEntries(checkId(tenantId, 'tenantId')),
    async verify(tenantId) {
      checkId(tenantId, 'tenantId');
      const [head, entries] = [await readHead(tenantId), await readEntries(tenantId)];
      return verifyAuditLog(entries, head, key === undefined ? {} : { key });
    },
    async exportTenant(tenantId, format = 'json') {
      checkId(tenantId, 'tenantId');
      if (format !== 'json' && format !== 'jsonl') {
        throw new ValidationError('audit export', [
          { path: 'format', message: "expected 'json' or 'jsonl'" },
        ]);
      }
      const head = await readHead(tenantId);
      const entries = await readEntries(tenantId);
      if (format === 'json') return JSON.stringify({ head, entries });
      return `${[head, ...entries].map((item) => JSON.stringify(item)).join('\n')}\n`;
    },
    async purgeBefore(tenantId, before) {
      checkId(tenantId, 'tenantId');
      const cutoff = before instanceof Date ? before.getTime() : before;
      if (!Number.isSafeInteger(cutoff) || cutoff < 0 || cutoff > clock.now() + 86_400_000) {
        throw new ValidationError('audit purge', [
          { path: 'before', message: 'expected a past Date or epoch ms' },
        ]);
      }
      await ready();
      return db.transaction().execute(async (transaction) => {
        const head = await lockHead(transaction, tenantId);
        // The chain is cut at a sequence number, so what is kept stays one unbroken chain.
        const last = (await transaction
          .selectFrom(entriesTable)
          .select(['seq', 'hash'])
          .where('tenant_id', '=', tenantId)
          .where(sql.ref('timestamp'), '<', cutoff)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst()) as { seq: number; hash: string } | undefined;
        if (!last) return { deleted: 0, baseSeq: head.baseSeq };
        const result = await transaction
          .deleteFrom(entriesTable)
          .where('tenant_id', '=', tenantId)
          .where('seq', '<=', last.seq)
          .executeTakeFirst();
        await transaction
          .updateTable(heads)
          .set({ base_seq: Number(last.seq), base_hash: last.hash })
          .where('tenant_id', '=', tenantId)
          .execute();
        return { deleted: Number(result.numDeletedRows), baseSeq: Number(last.seq) };
      });
    },
    async eraseUser(tenantId, userId, pseudonym) {
      checkId(tenantId, 'tenantId');
      checkId(userId, 'userId');
      checkId(pseudonym, 'pseudonym');
      await ready();
      const result = await db
        .updateTable(entriesTable)
        .set({ user_id: pseudonym, user_salt: null })
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    close: () => database.destroy(),
  };
}
