import type { RequestContext } from '../context.js';
import type { TenantPolicy } from '../tenancy.js';

/** What the guard is asked before a request. */
export interface GuardCheck {
  policy: TenantPolicy;
  context: RequestContext;
  /** Cost of the cheapest model the tenant may use for this request, in micro-dollars. */
  minimumCostMicros: number;
  /** Estimated total tokens of the request. */
  estimatedTokens: number;
}

/** The guard's answer: what is left, to route within. */
export interface GuardGrant {
  tenantId: string;
  /** Epoch milliseconds of the check; settle against the same period. */
  at: number;
  /** What remains of this period's budget, or null for unlimited. */
  remainingBudgetMicros: number | null;
}

/** What a request actually cost, reported after it. */
export interface GuardSettlement {
  costMicros: number;
  tokens: number;
  /** False when the request failed before any provider served it. */
  served: boolean;
}

/** Quotas and budgets checked before each request and settled after it. */
export interface GuardV1 {
  readonly specificationVersion: 'v1';
  /** @throws QuotaExceededError, BudgetExceededError (each with `resetsAt`). */
  check(check: GuardCheck): Promise<GuardGrant>;
  /**
   * Optional. Raises the grant's hold on the budget to the routed model's expected cost, so
   * that concurrent requests cannot jointly spend past the budget. Returns what remains.
   * The gateway calls it after routing; a guard without it holds only the check's minimum.
   * @throws BudgetExceededError (with `limit` and `used`) when the budget cannot hold it.
   */
  reserve?(grant: GuardGrant, costMicros: number): Promise<GuardGrant>;
  /** Replaces the grant's holds by what the request actually cost; once per grant. */
  settle(grant: GuardGrant, settlement: GuardSettlement): Promise<void>;
}
