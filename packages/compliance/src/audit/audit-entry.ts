import { createHash, createHmac } from 'node:crypto';

/** How a request ended, as the audit trail records it. */
export type AuditOutcome = 'ok' | 'blocked' | 'error';

/** What the caller gives for one audit entry; the trail adds the sequence, hashes and user digest. */
export interface AuditInput {
  tenantId: string;
  requestId: string;
  /** Epoch milliseconds. */
  timestamp: number;
  userId?: string;
  /** SHA-256 (hex) of the normalised request. */
  requestHash: string;
  /** SHA-256 (hex) of the answer, absent when there was none. */
  answerHash?: string;
  outcome: AuditOutcome;
  errorCode?: string;
  /** The router's complexity level. */
  level?: string;
  provider?: string;
  model?: string;
  keyId?: string;
  /** Values redacted, by detector name. */
  redactions?: Record<string, number>;
}

/**
 * One stored entry of a tenant's chain. The chain hash covers every field except `userId` and
 * `userSalt`: it covers `userDigest = SHA-256(userSalt ":" userId)` instead, so that erasing a
 * user (pseudonym in `userId`, salt deleted) leaves every hash valid.
 */
export interface AuditEntry {
  tenantId: string;
  /** Position in the tenant's chain, from 1. */
  seq: number;
  requestId: string;
  timestamp: number;
  userId: string | null;
  /** Random salt of the user digest; null once the user is erased. */
  userSalt: string | null;
  userDigest: string | null;
  requestHash: string;
  answerHash: string | null;
  outcome: AuditOutcome;
  errorCode: string | null;
  level: string | null;
  provider: string | null;
  model: string | null;
  keyId: string | null;
  /** Counts by detector name, keys sorted. */
  redactions: Record<string, number>;
  /** Hash of the previous entry (the chain's base for the first). */
  prevHash: string;
  hash: string;
}

/** The end of a tenant's chain, stored beside the entries; `base` is where a purge cut the chain. */
export interface AuditHead {
  tenantId: string;
  /** Sequence of the last entry (0 for none). */
  seq: number;
  hash: string;
  /** Sequence of the last purged entry (0 when nothing was purged). */
  baseSeq: number;
  /** Hash of the last purged entry, or the genesis hash. */
  baseHash: string;
}

/** The hash a chain starts from. */
export const genesisHash = '0'.repeat(64);

/** SHA-256 of text, hex. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** The digest of a user id under a salt, as the chain covers it. */
export const userDigestOf = (salt: string, userId: string): string => sha256(`${salt}:${userId}`);

/** Counts with sorted keys and only positive whole numbers. */
export function normaliseCounts(counts: Record<string, number> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(counts ?? {}).sort()) {
    const count = counts![key]!;
    if (Number.isSafeInteger(count) && count > 0) out[key] = count;
  }
  return out;
}

/**
 * The chain hash of an entry: SHA-256 (or HMAC-SHA-256 under `key`) of the previous hash and
 * the canonical JSON of every covered field.
 */
export function entryHash(entry: Omit<AuditEntry, 'hash'>, key?: string): string {
  const covered = canonicalJson([
    entry.tenantId,
    entry.seq,
    entry.requestId,
    entry.timestamp,
    entry.userDigest,
    entry.requestHash,
    entry.answerHash,
    entry.outcome,
    entry.errorCode,
    entry.level,
    entry.provider,
    entry.model,
    entry.keyId,
    entry.redactions,
  ]);
  const text = `${entry.prevHash}\n${covered}`;
  return key === undefined ? sha256(text) : createHmac('sha256', key).update(text).digest('hex');
}
