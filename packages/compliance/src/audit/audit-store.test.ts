import { openPostgresAuditDatabase } from '@forge1/compliance/postgres';
import { createFakeClock } from '@forge1/core/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditDatabase } from './audit-database.js';
import { type AuditInput, sha256 } from './audit-entry.js';
import { createAuditStore } from './audit-store.js';
import { openSqliteAuditDatabase } from './sqlite-audit.js';

const url = process.env.FORGE1_PG_URL;
if (!url) console.warn('FORGE1_PG_URL is not set: the audit store tests run on SQLite only');
const schema = `forge1_audit_${process.pid}_${Date.now().toString(36)}`;

const dialects: Array<[string, () => AuditDatabase]> = [['SQLite', () => openSqliteAuditDatabase()]];
if (url) {
  let n = 0;
  dialects.push([
    'PostgreSQL',
    () => openPostgresAuditDatabase({ connectionString: url, schema, table: `t${n++}` }),
  ]);
}

afterAll(async () => {
  if (!url) return;
  const pool = new pg.Pool({ connectionString: url });
  await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.end();
});

const input = (tenantId: string, i: number, extra: Partial<AuditInput> = {}): AuditInput => ({
  tenantId,
  requestId: `req-${tenantId}-${i}`,
  timestamp: Date.UTC(2026, 0, 1) + i * 86_400_000,
  userId: i % 2 ? 'alice' : 'bob',
  requestHash: sha256(`q${i}`),
  answerHash: sha256(`a${i}`),
  outcome: 'ok',
  provider: 'openai',
  model: 'gpt-4o-mini',
  keyId: 'k1',
  redactions: { email: 1 },
  ...extra,
});

describe.each(dialects)('audit store on %s', (_, open) => {
  it('keeps one verified chain per tenant, even under concurrent appends', async () => {
    const store = createAuditStore({ database: open(), key: 'k' });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.append(input(i % 2 ? 'acme' : 'globex', i))),
    );
    for (const tenant of ['acme', 'globex']) {
      const entries = await store.entries(tenant);
      expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(await store.verify(tenant)).toMatchObject({ ok: true, entries: 15 });
    }
    await store.close();
  });

  it('records redaction counts, model and key but never the user id in the hash input', async () => {
    const store = createAuditStore({ database: open(), salt: () => 'salt' });
    const entry = await store.append(input('acme', 1, { redactions: { phone: 2, email: 1, zero: 0 } }));
    expect(entry).toMatchObject({
      seq: 1,
      userId: 'alice',
      userSalt: 'salt',
      userDigest: sha256('salt:alice'),
    });
    expect(Object.keys(entry.redactions)).toEqual(['email', 'phone']);
    await store.close();
  });

  it('purges old entries and the kept chain still verifies from its new base', async () => {
    const clock = createFakeClock(Date.UTC(2026, 2, 1));
    const store = createAuditStore({ database: open(), clock });
    for (let i = 0; i < 10; i++) await store.append(input('acme', i));
    const result = await store.purgeBefore('acme', new Date(Date.UTC(2026, 0, 5)));
    expect(result).toEqual({ deleted: 4, baseSeq: 4 });
    expect((await store.entries('acme'))[0]!.seq).toBe(5);
    expect(await store.verify('acme')).toMatchObject({ ok: true, entries: 6 });
    await store.append(input('acme', 10));
    expect(await store.verify('acme')).toMatchObject({ ok: true, entries: 7 });
    await expect(store.purgeBefore('acme', Date.UTC(2030, 0, 1))).rejects.toMatchObject({
      code: 'validation_error',
    });
    await store.close();
  });

  it('erases a user with a pseudonym and the chain still verifies', async () => {
    const store = createAuditStore({ database: open() });
    for (let i = 0; i < 6; i++) await store.append(input('acme', i));
    const before = await store.entries('acme');
    expect(await store.eraseUser('acme', 'alice', 'erased-1')).toBe(3);
    const after = await store.entries('acme');
    expect(after.map((entry) => entry.userId)).not.toContain('alice');
    expect(after.map((entry) => entry.userDigest)).toEqual(before.map((entry) => entry.userDigest));
    expect(
      after.filter((entry) => entry.userId === 'erased-1').every((entry) => entry.userSalt === null),
    ).toBe(true);
    expect(await store.verify('acme')).toMatchObject({ ok: true, entries: 6 });
    expect(await store.exportTenant('acme')).not.toContain('alice');
    await store.close();
  });

  it('exports one tenant as JSON or JSON lines, head first', async () => {
    const store = createAuditStore({ database: open() });
    await store.append(input('acme', 1));
    await store.append(input('globex', 2));
    const json = JSON.parse(await store.exportTenant('acme')) as {
      head: { seq: number };
      entries: unknown[];
    };
    expect(json.head.seq).toBe(1);
    expect(json.entries).toHaveLength(1);
    const lines = (await store.exportTenant('acme', 'jsonl')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ tenantId: 'acme', seq: 1 });
    await store.close();
  });

  it('refuses a malformed entry with a validation error', async () => {
    const store = createAuditStore({ database: open() });
    await expect(store.append({ ...input('acme', 1), requestHash: 'nope' })).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(store.append({ ...input('acme', 1), tenantId: '' })).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(store.append({ ...input('acme', 1), level: 42 as never })).rejects.toMatchObject({
      code: 'validation_error',
    });
    const throwing = Object.defineProperty({ ...input('acme', 1) }, 'requestId', {
      enumerable: true,
      get: () => {
        throw new RangeError('from the caller');
      },
    });
    await expect(store.append(throwing)).rejects.toMatchObject({ code: 'validation_error' });
    await expect(store.append(null as never)).rejects.toMatchObject({ code: 'validation_error' });
    expect((await store.head('acme')).seq).toBe(0);
    await expect(store.exportTenant('acme', 'xml' as never)).rejects.toMatchObject({
      code: 'validation_error',
    });
    await store.close();
  });
});

describe('audit database options', () => {
  it('refuses a bad table name or a missing connection', () => {
    expect(() => openSqliteAuditDatabase({ table: 'x; drop' })).toThrow(/identifier/);
    expect(() => openPostgresAuditDatabase({})).toThrow(/pool or a connectionString/);
    expect(() => createAuditStore({} as never)).toThrow(/audit database/);
  });
});
