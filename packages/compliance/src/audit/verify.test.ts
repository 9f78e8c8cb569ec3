import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, type AuditHead, entryHash, sha256 } from './audit-entry.js';
import { createAuditStore } from './audit-store.js';
import { openSqliteAuditDatabase } from './sqlite-audit.js';
import { verifyAuditLog } from './verify.js';

const KEY = 'audit-test-key';

async function chain(length: number, key: string | undefined = KEY) {
  const store = createAuditStore({ database: openSqliteAuditDatabase(), ...(key ? { key } : {}) });
  for (let i = 0; i < length; i++) {
    await store.append({
      tenantId: 'acme',
      requestId: `req-${i}`,
      timestamp: 1_000 + i,
      ...(i % 3 === 0 ? {} : { userId: `user-${i % 2}` }),
      requestHash: sha256(`request ${i}`),
      answerHash: sha256(`answer ${i}`),
      outcome: i % 4 === 3 ? 'blocked' : 'ok',
      model: 'gpt-4o-mini',
      redactions: i % 2 ? { email: i } : {},
    });
  }
  const result = { entries: await store.entries('acme'), head: await store.head('acme') };
  await store.close();
  return result;
}

/** A kind of tampering, applied to a copy of the chain; returns the sequence number verification must name. */
type Tamper = (entries: AuditEntry[], head: AuditHead, at: number, other: number) => number;

const tamperings: Record<string, Tamper> = {
  'edited field': (entries, _, at) => {
    entries[at] = { ...entries[at]!, model: 'gpt-4o' };
    return entries[at]!.seq;
  },
  'edited and re-hashed without the key': (entries, _, at) => {
    const { hash: _hash, ...fields } = {
      ...entries[at]!,
      outcome: 'ok' as const,
      answerHash: sha256('forged'),
    };
    entries[at] = { ...fields, hash: entryHash(fields) };
    return entries[at]!.seq;
  },
  'edited user id': (entries, _, at) => {
    const withUser = entries.findIndex((entry, index) => index >= at && entry.userId !== null);
    const index = withUser >= 0 ? withUser : entries.findIndex((entry) => entry.userId !== null);
    entries[index] = { ...entries[index]!, userId: 'someone-else' };
    return entries[index]!.seq;
  },
  deleted: (entries, _, at) => {
    const [removed] = entries.splice(at, 1);
    return removed!.seq;
  },
  'reordered (contents swapped, numbers kept)': (entries, _, at, other) => {
    const [i, j] =
      at === other ? [at, (at + 1) % entries.length] : [Math.min(at, other), Math.max(at, other)];
    const [a, b] = [entries[i]!, entries[j]!];
    entries[i] = { ...b, seq: a.seq };
    entries[j] = { ...a, seq: b.seq };
    return Math.min(a.seq, b.seq);
  },
  'inserted with a taken number': (entries, _, at, other) => {
    const forged = { ...entries[other]!, requestId: 'forged', hash: sha256('forged') };
    entries.splice(at, 0, { ...forged, seq: entries[at]!.seq, prevHash: entries[at]!.prevHash });
    // Stores list entries by sequence then hash.
    entries.sort((x, y) => x.seq - y.seq || (x.hash < y.hash ? -1 : 1));
    return entries[at]!.seq;
  },
  'inserted with the later ones renumbered': (entries, _, at) => {
    const seq = entries[at]!.seq;
    const forged = { ...entries[at]!, requestId: 'forged', hash: sha256('forged') };
    for (let i = at; i < entries.length; i++) entries[i] = { ...entries[i]!, seq: entries[i]!.seq + 1 };
    entries.splice(at, 0, forged);
    return seq;
  },
  'appended without the key': (entries, head) => {
    const last = entries[entries.length - 1]!;
    const { hash: _hash, ...fields } = {
      ...last,
      seq: last.seq + 1,
      requestId: 'forged',
      prevHash: last.hash,
    };
    entries.push({ ...fields, hash: entryHash(fields) });
    head.seq = last.seq + 1;
    return last.seq + 1;
  },
  'last entries cut': (entries, _, at) => {
    const cut = entries.splice(at);
    return cut[0]!.seq;
  },
};

describe('verifyAuditLog', () => {
  it('accepts an untouched chain', async () => {
    const { entries, head } = await chain(6);
    expect(verifyAuditLog(entries, head, { key: KEY })).toEqual({
      ok: true,
      tenantId: 'acme',
      entries: 6,
      head,
    });
  });

  it('names the first bad entry for every kind of tampering', async () => {
    const chains = await Promise.all([2, 5, 9].map((length) => chain(length)));
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(tamperings)),
        fc.nat(2),
        fc.nat(100),
        fc.nat(100),
        (kind, which, atSeed, otherSeed) => {
          const original = chains[which]!;
          const entries = original.entries.map((entry) => ({ ...entry }));
          const head = { ...original.head };
          const expected = tamperings[kind]!(
            entries,
            head,
            atSeed % entries.length,
            otherSeed % entries.length,
          );
          const result = verifyAuditLog(entries, head, { key: KEY });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.fault.seq).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('without a key still detects tampering that does not rebuild the chain', async () => {
    const original = await chain(5, undefined);
    for (const kind of [
      'edited field',
      'edited user id',
      'deleted',
      'last entries cut',
      'inserted with a taken number',
    ]) {
      const entries = original.entries.map((entry) => ({ ...entry }));
      tamperings[kind]!(entries, { ...original.head }, 2, 0);
      expect(verifyAuditLog(entries, original.head).ok, kind).toBe(false);
    }
  });
});
