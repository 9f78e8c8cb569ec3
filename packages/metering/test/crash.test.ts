import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMeter, createSqliteSink, openSqliteUsageDatabase } from '@forge1/metering';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';

const node = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
const RECORDS = 100_000;

describe('crash safety', () => {
  const directory = mkdtempSync(join(tmpdir(), 'forge1-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('stores every record whose record() resolved exactly once after SIGKILL and replay', async () => {
    const journal = join(directory, 'journal');
    const database = join(directory, 'usage.db');
    const resolvedPath = join(directory, 'resolved.txt');
    // Kill somewhere between 2 % and 95 % of the run.
    const killAt = Math.floor(RECORDS * (0.02 + Math.random() * 0.93));
    const process = spawn(node, [child, journal, database, String(RECORDS), resolvedPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let killed = false;
    process.stdout.setEncoding('utf8').on('data', (text: string) => {
      const last = /resolved (\d+)\n$/.exec(text);
      if (!killed && last && Number(last[1]) >= killAt) {
        killed = process.kill('SIGKILL');
      }
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      process.on('exit', (_, s) => resolve(s)),
    );
    expect(signal).toBe('SIGKILL');

    const resolvedIds = readFileSync(resolvedPath, 'utf8').split('\n').filter(Boolean);
    expect(resolvedIds.length).toBeGreaterThanOrEqual(killAt);

    const meter = createMeter({ sinks: [createSqliteSink({ path: database })], journal });
    await meter.flush();
    await meter.close();

    const reader = openSqliteUsageDatabase({ path: database });
    const { rows } = await sql<{ total: number; distinct: number }>`
      select count(*) as total, count(distinct id) as "distinct" from usage_records`.execute(reader.db);
    const stored = new Set(
      (await reader.db.selectFrom('usage_records').select('id').execute()).map((row) => row.id),
    );
    await reader.destroy();
    expect(rows[0]!.total).toBe(rows[0]!.distinct);
    const missing = resolvedIds.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(stored.size).toBeLessThanOrEqual(RECORDS);
  }, 60_000);
});
