import type { ChatRequest, ChatResult } from '../chat.js';
import type { RequestContext } from '../context.js';
import type { TenantPolicy } from '../tenancy.js';

/** How demanding a request is. */
export type ComplexityLevel = 'simple' | 'moderate' | 'complex' | 'critical';

/** The complexity levels, lowest first. */
export const complexityLevels: readonly ComplexityLevel[] = ['simple', 'moderate', 'complex', 'critical'];

/** A model on a provider. */
export interface ModelRef {
  provider: string;
  model: string;
}

/** A model to try, with equivalent models on other providers to fall back to, in order. */
export interface RouteRung extends ModelRef {
  fallbacks: ModelRef[];
}

/** What the router chose, and why. */
export interface RouteDecision extends RouteRung {
  level: ComplexityLevel;
  /** Complexity score, 0..1. */
  score: number;
  /** Human-readable reasons, from the signals that produced the decision. */
  reasons: string[];
  /** Stronger rungs to escalate to when the judge finds an answer weak, in order. Empty: no cascade. */
  ladder: RouteRung[];
  /** Expected cost of the chosen model for this request, in micro-dollars. */
  estimatedCostMicros: number;
}

/** The judge's view of an answer. */
export interface Verdict {
  /** True when the answer should be retried on the next rung. */
  escalate: boolean;
  /** Confidence in the answer, 0..1. */
  confidence: number;
  reasons: string[];
}

/** What the gateway tells the router about a request besides the request itself. */
export interface RouteContext {
  context: RequestContext;
  /** What remains of the tenant's budget this period, in micro-dollars, or null for unlimited. */
  remainingBudgetMicros: number | null;
  /** Token estimate of the request's input. */
  estimatedInputTokens: number;
  /**
   * Free key capacity of a provider from 0 (saturated) to 1 (idle), from the key pool's `headroom`;
   * absent when the pool does not report it.
   */
  headroom?: (provider: string) => number;
}

/** An outcome observed after a request, for routers that learn. */
export interface RouteFeedback {
  requestId: string;
  tenantId?: string;
  outcome:
    | { type: 'cascade'; from: string; to: string }
    | { type: 'rating'; score: number }
    | { type: 'judged'; score: number };
}

/** Picks a model for each request and judges answers for cascades. */
export interface RouterV1 {
  readonly specificationVersion: 'v1';
  /** @throws BudgetExceededError when the policy refuses what the budget cannot afford. */
  decide(
    request: ChatRequest,
    policy: TenantPolicy,
    route: RouteContext,
  ): RouteDecision | Promise<RouteDecision>;
  /** Whether an answer is weak enough to escalate to the next rung of the ladder. */
  judge(result: ChatResult, decision: RouteDecision, request: ChatRequest): Verdict | Promise<Verdict>;
  /** An outcome observed later (cascade, rating), for routers that learn. */
  feedback?(feedback: RouteFeedback): void;
}
