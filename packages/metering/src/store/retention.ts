import { ValidationError } from '@forge1/core';
import { type Kysely, sql } from 'kysely';
import { addCounts, countsOfRow, type UsageCounts, usageCounts } from '../sql/usage-counts.js';
import type { UsageDatabase } from '../sql/usage-database.js';

/** What `purgeBefore` removed. */
export interface PurgeResult {
  /** Usage records deleted. */
  deleted: number;
  /** Billing periods whose totals were added to the rollups, oldest first. */
  periods: string[];
}

/** One model's totals of purged records in one period (what invoices need): every token kind and part count. */
export interface RollupLine extends UsageCounts {
  provider: string;
  model: string;
  requests: number;
}

type RollupRow = Record<string, string | number>;

type RollupTables = Record<string, RollupRow>;
type Rows = Array<Record<string, unknown>>;

const counters = ['requests', ...usageCounts.map(([, column]) => column)];

/** An epoch-millisecond cutoff from a Date or a number. @throws ValidationError */
export function toCutoff(before: Date | number): number {
  const time = before instanceof Date ? before.getTime() : before;
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new ValidationError('usage purge', [{ path: 'before', message: 'expected a Date or epoch ms' }]);
  }
  return time;
}

/**
 * Deletes one tenant's records older than `before` in one transaction, after adding their
 * per-period, per-model totals to the rollup table: invoices and spend of purged periods stay
 * exact, while queries over individual records see only what is kept.
 */
export async function purgeUsageBefore(
  database: UsageDatabase,
  tenantId: string,
  before: number,
): Promise<PurgeResult> {
  await database.migrate();
  const db = database.db as unknown as Kysely<RollupTables>;
  const rollups = `${database.table}_rollups`;
  return db.transaction().execute(async (transaction) => {
    const old = () =>
      transaction
        .selectFrom(database.table)
        .where('tenant_id', '=', tenantId)
        .where(sql.ref('timestamp'), '<', before);
    const groups = (await old()
      .select([
        'period',
        'provider',
        'model',
        sql<number>`count(distinct request_id)`.as('requests'),
        ...usageCounts.map(([, column]) => sql<number>`sum(${sql.ref(column)})`.as(column)),
      ])
      .groupBy(['period', 'provider', 'model'])
      .orderBy('period')
      .execute()) as Rows;
    for (const group of groups) {
      const row: RollupRow = {
        tenant_id: tenantId,
        period: String(group.period),
        provider: String(group.provider),
        model: String(group.model),
        requests: Number(group.requests),
      };
      for (const [, column] of usageCounts) row[column] = Number(group[column] ?? 0);
      await transaction
        .insertInto(rollups)
        .values(row)
        .onConflict((conflict) =>
          conflict
            .columns(['tenant_id', 'period', 'provider', 'model'])
            .doUpdateSet(
              Object.fromEntries(
                counters.map((column) => [
                  column,
                  sql`${sql.ref(`${rollups}.${column}`)} + ${sql.ref(`excluded.${column}`)}`,
                ]),
              ),
            ),
        )
        .execute();
    }
    const result = await transaction
      .deleteFrom(database.table)
      .where('tenant_id', '=', tenantId)
      .where(sql.ref('timestamp'), '<', before)
      .executeTakeFirst();
    return {
      deleted: Number(result.numDeletedRows),
      periods: [...new Set(groups.map((group) => String(group.period)))],
    };
  });
}

/** The rollup lines of one tenant's period (empty when nothing was purged). */
export async function rollupLines(
  database: UsageDatabase,
  tenantId: string,
  period: string,
): Promise<RollupLine[]> {
  const db = database.db as unknown as Kysely<RollupTables>;
  const rows = (await db
    .selectFrom(`${database.table}_rollups`)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .execute()) as RollupRow[];
  return rows.map((row) => ({
    provider: String(row.provider),
    model: String(row.model),
    requests: Number(row.requests),
    ...countsOfRow(row),
  }));
}

/** Adds rollup lines into invoice lines of the same provider and model, sorted by provider, model. */
export function mergeLines<T extends RollupLine>(lines: readonly T[], rollups: readonly RollupLine[]): T[] {
  if (rollups.length === 0) return [...lines];
  const merged = new Map(lines.map((line) => [`${line.provider}\u0000${line.model}`, { ...line }]));
  for (const rollup of rollups) {
    const key = `${rollup.provider}\u0000${rollup.model}`;
    const line = merged.get(key);
    if (!line) {
      merged.set(key, { ...rollup } as T);
      continue;
    }
    line.requests += rollup.requests;
    addCounts(line, rollup);
  }
  const order = (a: RollupLine, b: RollupLine) =>
    a.provider < b.provider
      ? -1
      : a.provider > b.provider
        ? 1
        : a.model < b.model
          ? -1
          : a.model > b.model
            ? 1
            : 0;
  return [...merged.values()].sort(order);
}

const PSEUDONYM = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * Replaces one user id by a pseudonym in every record of the tenant; returns how many records
 * changed. Totals, invoices and per-user groupings stay the same under the new name.
 * @throws ValidationError on an empty user id or a pseudonym that is not 1-200 plain characters.
 */
export async function pseudonymiseUsageUser(
  database: UsageDatabase,
  tenantId: string,
  userId: string,
  pseudonym: string,
): Promise<number> {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) {
    throw new ValidationError('user erasure', [{ path: 'userId', message: 'expected a user id' }]);
  }
  if (typeof pseudonym !== 'string' || !PSEUDONYM.test(pseudonym)) {
    throw new ValidationError('user erasure', [
      { path: 'pseudonym', message: 'expected 1-200 letters, digits, "_", ".", ":" or "-"' },
    ]);
  }
  await database.migrate();
  const result = await database.db
    .updateTable(database.table)
    .set({ user_id: pseudonym })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
