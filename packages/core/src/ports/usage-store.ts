import type { UsageV1 } from '../chat.js';
import type { ComplexityLevel } from './router.js';

/** A time range, epoch milliseconds, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Totals of a group of usage records. */
export interface UsageTotals extends UsageV1 {
  requests: number;
  /** Content parts per kind, summed over the records. The token kinds that are optional in
   * {@link UsageV1} are optional for third-party stores; the built-in store always fills them. */
  textParts?: number;
  imageParts?: number;
  fileParts?: number;
  costMicros: number;
}

/** Dimensions usage can be grouped by. */
export type UsageGroupBy = 'period' | 'model' | 'provider' | 'employee' | 'user' | 'client' | 'day' | 'level';

/** One row of a grouped usage query. */
export interface UsageGroup extends UsageTotals {
  key: string;
}

/** Tenant-scoped usage queries. Every query takes a tenant id; `adminSummary` is the one cross-tenant call. */
export interface UsageStoreV1 {
  readonly specificationVersion: 'v1';
  /** A tenant's totals, optionally within a time range. */
  totals(tenantId: string, range?: TimeRange): Promise<UsageTotals>;
  /** A tenant's totals grouped by one dimension. */
  usageBy(tenantId: string, groupBy: UsageGroupBy, range?: TimeRange): Promise<UsageGroup[]>;
  /** Spend of one billing period (`YYYY-MM`) in micro-dollars. */
  spend(tenantId: string, period: string): Promise<number>;
  /** Totals per tenant, for operators only. */
  adminSummary(range?: TimeRange): Promise<Array<UsageTotals & { tenantId: string }>>;
}

/** Level counts, used by reports. */
export type LevelCounts = Record<ComplexityLevel, number>;
