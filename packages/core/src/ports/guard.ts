import type { RequestContext } from '../context.js';
import type { TenantPolicy } from '../tenancy.js';

/** What the guard is asked before a request. */
export interface GuardCheckV1 {
  policy: TenantPolicy;
  context: RequestContext;
  /** Cost of the cheapest model the tenant may use for this request, in micro-dollars. */
  minimumCostMicros: number;
  /** Estimated total tokens of the request. */
  estimatedTokens: number;
}
/** The current version of {@link GuardCheckV1}. */
export type GuardCheck = GuardCheckV1;

/** The guard's answer: what is left, to route within. */
export interface GuardGrantV1 {
  tenantId: string;
  /** Epoch milliseconds of the check; settle against the same period. */
  at: number;
  /** What remains of this period's budget, or null for unlimited. */
  remainingBudgetMicros: number | null;
}
/** The current version of {@link GuardGrantV1}. */
export type GuardGrant = GuardGrantV1;

/** What a request actually cost, reported after it. */
export interface GuardSettlementV1 {
  costMicros: number;
  tokens: number;
  /** False when the request failed before any provider served it. */
  served: boolean;
}
/** The current version of {@link GuardSettlementV1}. */
export type GuardSettlement = GuardSettlementV1;

/** Quotas and budgets checked before each request and settled after it. */
export interface GuardV1 {
  readonly specificationVersion: 'v1';
  /** @throws QuotaExceededError, BudgetExceededError (each with `resetsAt`). */
  check(check: GuardCheckV1): Promise<GuardGrantV1>;
  /**
   * Optional. Raises the grant's hold on the budget to the routed model's expected cost, so
   * that concurrent requests cannot jointly spend past the budget. Returns what remains.
   * The gateway calls it after routing; a guard without it holds only the check's minimum.
   * @throws BudgetExceededError (with `limit` and `used`) when the budget cannot hold it.
   */
  reserve?(grant: GuardGrantV1, costMicros: number): Promise<GuardGrantV1>;
  /**
   * Replaces the grant's holds by what the request actually cost. The gateway calls it exactly
   * once per grant (with the grant `check` returned), on every way a request ends after a passed
   * check: served, failed, refused by the router or a middleware, out of capacity, aborted. A
   * request nothing served settles with what its attempts consumed (often zero) and
   * `served: false`, which releases the holds and gives the daily request back.
   */
  settle(grant: GuardGrantV1, settlement: GuardSettlementV1): Promise<void>;
}
