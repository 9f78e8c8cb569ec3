import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditStore, openSqliteAuditDatabase } from '@forge1/compliance';
import { afterAll, describe, expect, it } from 'vitest';

const node = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/audit-child.ts', import.meta.url));

describe('audit trail crash safety', () => {
  const directory = mkdtempSync(join(tmpdir(), 'forge1-audit-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps every acknowledged entry and verifiable chains after a SIGKILL mid-write', async () => {
    const database = join(directory, 'audit.db');
    const acknowledgedPath = join(directory, 'acknowledged.txt');
    const killAt = 200 + Math.floor(Math.random() * 600);
    console.log(`killing the writer after ${killAt} acknowledged entries`);
    const writer = spawn(node, [child, database, acknowledgedPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let killed = false;
    writer.stdout.setEncoding('utf8').on('data', (text: string) => {
      const last = /appended (\d+)\n$/.exec(text);
      if (!killed && last && Number(last[1]) >= killAt) killed = writer.kill('SIGKILL');
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      writer.on('exit', (_, s) => resolve(s)),
    );
    expect(signal).toBe('SIGKILL');

    const acknowledged = readFileSync(acknowledgedPath, 'utf8').split('\n').filter(Boolean);
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAt);
    const store = createAuditStore({
      database: openSqliteAuditDatabase({ path: database }),
      key: 'crash-key',
    });
    const stored = new Set<string>();
    for (const tenant of ['acme', 'globex']) {
      expect(await store.verify(tenant)).toMatchObject({ ok: true });
      for (const entry of await store.entries(tenant)) stored.add(entry.requestId);
    }
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // The chains go on after the crash.
    await store.append({
      tenantId: 'acme',
      requestId: 'after',
      timestamp: 1,
      requestHash: '0'.repeat(64),
      outcome: 'ok',
    });
    expect(await store.verify('acme')).toMatchObject({ ok: true });
    await store.close();
  }, 60_000);
});
