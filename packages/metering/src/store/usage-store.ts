import {
  type Catalog,
  createCatalog,
  readOptions,
  type TimeRange,
  type UsageGroup,
  type UsageGroupBy,
  type UsageStoreV1,
  type UsageTotals,
  ValidationError,
} from '@forge1/core';
import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { checkFactoryOptions } from '../factory-options.js';
import { addCounts, countsOfRow, type UsageCounts, usageCounts, zeroCounts } from '../sql/usage-counts.js';
import type { UsageDatabase, UsageTables } from '../sql/usage-database.js';
import { rowToRecord, type UsageRow, usageColumns } from '../sql/usage-row.js';
import { refuseAfterClose } from './closed-guard.js';
import { type InvoiceOptions, type InvoicePreview, priceInvoice } from './invoice.js';
import {
  mergeLines,
  type PurgeResult,
  pseudonymiseUsageUser,
  purgeUsageBefore,
  rollupLines,
  toCutoff,
} from './retention.js';

/** Key of a group whose dimension is not set on its records (no employee, no user…). */
export const unattributedKey = '(none)';

/** Usage of one size class of models, with its share of the tenant's totals (0..1). */
export interface ModelShareBucket extends UsageTotals {
  requestShare: number;
  costShare: number;
}

/** Small- versus large-model usage: `small` is catalog tier small; `large` is standard and advanced. */
export interface ModelShare {
  small: ModelShareBucket;
  large: ModelShareBucket;
  /** Models the catalog does not know. */
  unknown: ModelShareBucket;
}

/** Options of `topUsers`. */
export interface TopUsersOptions {
  range?: TimeRange;
  /** @default 10 */
  limit?: number;
  /** @default 'costMicros' */
  by?: 'costMicros' | 'requests';
}

/** Core's {@link UsageStoreV1} plus reports, invoices and exports; every query but `adminSummary` takes a tenant. */
export interface UsageStore extends UsageStoreV1 {
  modelShare(tenantId: string, range?: TimeRange): Promise<ModelShare>;
  topUsers(tenantId: string, options?: TopUsersOptions): Promise<UsageGroup[]>;
  invoicePreview(tenantId: string, period: string, options?: InvoiceOptions): Promise<InvoicePreview>;
  /** Every record of the tenant (optionally in a range), oldest first, as a JSON array or CSV with a header. */
  exportTenant(tenantId: string, format: 'json' | 'csv', range?: TimeRange): Promise<string>;
  /**
   * Retention: deletes the tenant's records older than `before`, keeping their per-period,
   * per-model totals so that `invoicePreview` and `spend` of purged periods stay exact.
   * @throws ValidationError on a bad tenant or date.
   */
  purgeBefore(tenantId: string, before: Date | number): Promise<PurgeResult>;
  /**
   * Erasure: replaces a user id by `pseudonym` in every record of the tenant; returns how many changed.
   * @throws ValidationError on a bad tenant, user id or pseudonym.
   */
  pseudonymiseUser(tenantId: string, userId: string, pseudonym: string): Promise<number>;
}

/** Options of {@link createUsageStore}. */
export interface UsageStoreOptions {
  /** The usage table, e.g. `createSqliteSink().database` or `openPostgresUsageDatabase(...)`. */
  database: UsageDatabase;
  /** Model tiers for `modelShare`. @default createCatalog() */
  catalog?: Catalog;
}

const DAY = 86_400_000;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

type Query = SelectQueryBuilder<UsageTables, string, object>;

function checkTenant(tenantId: unknown): string {
  if (typeof tenantId !== 'string' || tenantId.length === 0 || tenantId.length > 200) {
    throw new ValidationError('usage query', [{ path: 'tenantId', message: 'expected a tenant id' }]);
  }
  return tenantId;
}

function checkRange(input: TimeRange | undefined): void {
  if (input === undefined) return;
  const range = readOptions(input, 'usage query range');
  if (!Number.isSafeInteger(range.from) || !Number.isSafeInteger(range.to) || range.from > range.to) {
    throw new ValidationError('usage query', [{ path: 'range', message: 'expected integer from <= to' }]);
  }
}

function checkPeriod(period: unknown): string {
  if (typeof period !== 'string' || !PERIOD.test(period)) {
    throw new ValidationError('usage query', [{ path: 'period', message: 'expected YYYY-MM' }]);
  }
  return period;
}

const totalsColumns = [
  sql<number>`count(distinct request_id)`.as('requests'),
  ...usageCounts.map(([, column]) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)`.as(column)),
];

/** Totals with every token kind and part count (core's optional ones always filled in). */
export type FullUsageTotals = UsageTotals & UsageCounts;

// PostgreSQL returns counts and sums of bigints as strings.
const toTotals = (row: Record<string, unknown> | undefined): FullUsageTotals => ({
  requests: Number(row?.requests ?? 0),
  ...countsOfRow(row),
});

const emptyTotals = (): FullUsageTotals => ({ requests: 0, ...zeroCounts() });

const orNone = (column: keyof UsageRow) =>
  sql<string>`coalesce(${sql.ref(column)}, ${sql.lit(unattributedKey)})`;

const groupKeys: Record<UsageGroupBy, Expression<unknown>> = {
  period: sql.ref('period'),
  model: sql.ref('model'),
  provider: sql.ref('provider'),
  employee: orNone('employee_id'),
  user: orNone('user_id'),
  client: orNone('client_id'),
  level: orNone('level'),
  day: sql<number>`${sql.ref('timestamp')} / ${sql.lit(DAY)}`,
};

const dayKey = (day: unknown) => new Date(Number(day) * DAY).toISOString().slice(0, 10);

const csvCell = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Usage queries over the SQL usage table, identical on SQLite and PostgreSQL. Every query
 * except `adminSummary` starts from one tenant's rows (`WHERE tenant_id = ?`), so no call can
 * read another tenant's usage. `requests` counts distinct request ids (a request's retries,
 * cascades and fallbacks are one request). Times are epoch ms; days are UTC.
 * @example
 * ```ts
 * const sink = createSqliteSink({ path: 'usage.db' });
 * const usage = createUsageStore({ database: sink.database });
 * const spend = await usage.spend('acme', '2026-01');
 * ```
 */
export function createUsageStore(input: UsageStoreOptions): UsageStore {
  const options = checkFactoryOptions('usageStore', input, 'usage store options');
  const { database } = options;
  const catalog = options.catalog ?? createCatalog();
  const { db, table } = database;

  /** The only way queries start: one tenant, optionally one time range. */
  const forTenant = (tenantId: string, range?: TimeRange): Query => {
    checkTenant(tenantId);
    checkRange(range);
    let query = db.selectFrom(table).where('tenant_id', '=', tenantId) as unknown as Query;
    if (range) {
      query = query.where(sql<SqlBool>`${sql.ref('timestamp')} >= ${range.from}`);
      query = query.where(sql<SqlBool>`${sql.ref('timestamp')} < ${range.to}`);
    }
    return query;
  };

  const ready = () => database.migrate();

  const grouped = async (query: Query, key: Expression<unknown>) => {
    const rows = await query
      .select([sql`${key}`.as('key'), ...totalsColumns])
      .groupBy(sql`${key}`)
      .orderBy(sql`${key}`)
      .execute();
    return rows as Array<Record<string, unknown>>;
  };

  const usageBy = async (
    tenantId: string,
    groupBy: UsageGroupBy,
    range?: TimeRange,
  ): Promise<Array<UsageGroup & UsageCounts>> => {
    const key =
      typeof groupBy === 'string' && Object.hasOwn(groupKeys, groupBy) ? groupKeys[groupBy] : undefined;
    if (!key) {
      const shown = typeof groupBy === 'string' ? `"${groupBy}"` : typeof groupBy;
      throw new ValidationError('usage query', [{ path: 'groupBy', message: `unknown ${shown}` }]);
    }
    const query = forTenant(tenantId, range);
    await ready();
    return (await grouped(query, key)).map((row) => ({
      key: groupBy === 'day' ? dayKey(row.key) : String(row.key),
      ...toTotals(row),
    }));
  };

  const store: UsageStore = {
    specificationVersion: 'v1',
    async totals(tenantId, range) {
      const query = forTenant(tenantId, range);
      await ready();
      return toTotals((await query.select(totalsColumns).executeTakeFirst()) as Record<string, unknown>);
    },
    usageBy,
    async spend(tenantId, period) {
      const query = forTenant(tenantId).where('period', '=', checkPeriod(period));
      await ready();
      const row = await query
        .select(sql<number>`coalesce(sum(cost_micros), 0)`.as('cost'))
        .executeTakeFirst();
      const purged = await rollupLines(database, tenantId, period);
      const kept = Number((row as { cost?: unknown } | undefined)?.cost ?? 0);
      return purged.reduce((sum, line) => sum + line.costMicros, kept);
    },
    async modelShare(tenantId, range) {
      const groups = await usageBy(tenantId, 'model', range);
      const buckets = { small: emptyTotals(), large: emptyTotals(), unknown: emptyTotals() };
      for (const group of groups) {
        const tier = catalog.get(group.key)?.tier;
        const bucket =
          tier === undefined ? buckets.unknown : tier === 'small' ? buckets.small : buckets.large;
        bucket.requests += group.requests;
        addCounts(bucket, group);
      }
      const requests = groups.reduce((sum, group) => sum + group.requests, 0);
      const cost = groups.reduce((sum, group) => sum + group.costMicros, 0);
      const share = (totals: UsageTotals): ModelShareBucket => ({
        ...totals,
        requestShare: requests === 0 ? 0 : totals.requests / requests,
        costShare: cost === 0 ? 0 : totals.costMicros / cost,
      });
      return { small: share(buckets.small), large: share(buckets.large), unknown: share(buckets.unknown) };
    },
    async topUsers(tenantId, input = {}) {
      const topOptions = readOptions(input, 'usageStore.topUsers');
      const limit = topOptions.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new ValidationError('usage query', [{ path: 'limit', message: 'expected 1..10000' }]);
      }
      const order = (topOptions.by ?? 'costMicros') === 'requests' ? 'requests' : 'cost_micros';
      const query = forTenant(tenantId, topOptions.range).where('user_id', 'is not', null);
      await ready();
      const rows = await query
        .select([sql.ref('user_id').as('key'), ...totalsColumns])
        .groupBy('user_id')
        .orderBy(sql.ref(order), 'desc')
        .orderBy('user_id')
        .limit(limit)
        .execute();
      return (rows as Array<Record<string, unknown>>).map((row) => ({
        key: String(row.key),
        ...toTotals(row),
      }));
    },
    async invoicePreview(tenantId, period, invoiceOptions) {
      const query = forTenant(tenantId).where('period', '=', checkPeriod(period));
      await ready();
      const rows = await query
        .select(['provider', 'model', ...totalsColumns])
        .groupBy(['provider', 'model'])
        .orderBy('provider')
        .orderBy('model')
        .execute();
      const lines = (rows as Array<Record<string, unknown>>).map((row) => ({
        provider: String(row.provider),
        model: String(row.model),
        ...toTotals(row),
      }));
      const purged = await rollupLines(database, tenantId, period);
      return priceInvoice(tenantId, period, mergeLines(lines, purged), invoiceOptions);
    },
    async exportTenant(tenantId, format, range) {
      if (format !== 'json' && format !== 'csv') {
        throw new ValidationError('usage export', [{ path: 'format', message: "expected 'json' or 'csv'" }]);
      }
      const query = forTenant(tenantId, range);
      await ready();
      const rows = (await query.selectAll().orderBy('timestamp').orderBy('id').execute()) as Array<
        Record<string, unknown>
      >;
      if (format === 'json') return JSON.stringify(rows.map((row) => rowToRecord(row)));
      const lines = [usageColumns.join(',')];
      for (const row of rows) lines.push(usageColumns.map((column) => csvCell(row[column])).join(','));
      return `${lines.join('\n')}\n`;
    },
    async purgeBefore(tenantId, before) {
      return purgeUsageBefore(database, checkTenant(tenantId), toCutoff(before));
    },
    async pseudonymiseUser(tenantId, userId, pseudonym) {
      return pseudonymiseUsageUser(database, checkTenant(tenantId), userId, pseudonym);
    },
    async adminSummary(range) {
      checkRange(range);
      await ready();
      let query = db.selectFrom(table) as unknown as Query;
      if (range) {
        query = query.where(sql<SqlBool>`${sql.ref('timestamp')} >= ${range.from}`);
        query = query.where(sql<SqlBool>`${sql.ref('timestamp')} < ${range.to}`);
      }
      const rows = await query
        .select([sql.ref('tenant_id').as('tenant_id'), ...totalsColumns])
        .groupBy('tenant_id')
        .orderBy('tenant_id')
        .execute();
      return (rows as Array<Record<string, unknown>>).map((row) => ({
        tenantId: String(row.tenant_id),
        ...toTotals(row),
      }));
    },
  };
  return refuseAfterClose(store, database, 'usage store');
}
