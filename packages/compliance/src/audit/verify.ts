import { type AuditEntry, type AuditHead, entryHash, userDigestOf } from './audit-entry.js';

/** Why verification stopped at an entry. */
export type AuditProblem =
  /** The entry's fields do not give its stored hash: it was edited. */
  | 'edited'
  /** The entry's hash was recomputed after an edit: the next entry no longer links to it. */
  | 'rehashed'
  /** Entries are missing before this sequence number (deleted). */
  | 'missing'
  /** The sequence goes backwards or repeats: an entry was inserted or moved. */
  | 'out-of-order'
  /** The entry does not link to the one before, though its own hash holds: it was inserted or moved. */
  | 'unlinked'
  /** The user id does not match the user digest the chain covers. */
  | 'user-mismatch'
  /** The last entry is not the chain's recorded head: entries at the end were deleted or added. */
  | 'head-mismatch';

/** The first bad entry verification found. */
export interface AuditFault {
  problem: AuditProblem;
  /** Sequence number of the first bad entry (for `missing`, the first missing one). */
  seq: number;
  /** Request id of the entry at fault, when it is there to read. */
  requestId?: string;
}

/** What {@link verifyAuditLog} concluded. */
export type AuditVerification =
  | { ok: true; tenantId: string; entries: number; head: AuditHead }
  | { ok: false; tenantId: string; entries: number; fault: AuditFault };

/** Options of {@link verifyAuditLog}. */
export interface VerifyOptions {
  /** The HMAC key the trail was written with, if any. */
  key?: string;
}

/**
 * Checks a tenant's chain, oldest first: every entry's hash, its link to the one before, the
 * sequence without gaps from the head's base, each user id against its digest (erased users
 * excepted), and the last entry against the head. Names the first bad entry.
 * @example
 * ```ts
 * const result = verifyAuditLog(await store.entries('acme'), await store.head('acme'));
 * if (!result.ok) alert(`audit chain broken at #${result.fault.seq}: ${result.fault.problem}`);
 * ```
 */
export function verifyAuditLog(
  entries: Iterable<AuditEntry>,
  head: AuditHead,
  options: VerifyOptions = {},
): AuditVerification {
  const { tenantId } = head;
  let expectedSeq = head.baseSeq + 1;
  let previousHash = head.baseHash;
  let previous: AuditEntry | undefined;
  let count = 0;
  const fail = (fault: AuditFault): AuditVerification => ({ ok: false, tenantId, entries: count, fault });
  for (const entry of entries) {
    if (entry.seq > expectedSeq) return fail({ problem: 'missing', seq: expectedSeq });
    if (entry.seq < expectedSeq || entry.tenantId !== tenantId) {
      return fail({ problem: 'out-of-order', seq: entry.seq, requestId: entry.requestId });
    }
    const { hash, ...fields } = entry;
    if (entryHash(fields, options.key) !== hash) {
      return fail({ problem: 'edited', seq: entry.seq, requestId: entry.requestId });
    }
    if (entry.prevHash !== previousHash) {
      // The entry is intact, so the link it holds is genuine: the one before it changed.
      return previous
        ? fail({ problem: 'rehashed', seq: previous.seq, requestId: previous.requestId })
        : fail({ problem: 'unlinked', seq: entry.seq, requestId: entry.requestId });
    }
    if (entry.userSalt !== null && entry.userId !== null && entry.userDigest !== null) {
      if (userDigestOf(entry.userSalt, entry.userId) !== entry.userDigest) {
        return fail({ problem: 'user-mismatch', seq: entry.seq, requestId: entry.requestId });
      }
    } else if ((entry.userDigest === null) !== (entry.userId === null)) {
      return fail({ problem: 'user-mismatch', seq: entry.seq, requestId: entry.requestId });
    }
    previous = entry;
    previousHash = hash;
    expectedSeq++;
    count++;
  }
  const lastSeq = expectedSeq - 1;
  if (lastSeq !== head.seq || previousHash !== head.hash) {
    return fail({
      problem: lastSeq < head.seq ? 'missing' : 'head-mismatch',
      seq: lastSeq < head.seq ? lastSeq + 1 : lastSeq,
    });
  }
  return { ok: true, tenantId, entries: count, head };
}
