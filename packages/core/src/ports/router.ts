import type { ChatRequest, ChatResultV1 } from '../chat.js';
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
export interface RouteRungV1 extends ModelRef {
  fallbacks: ModelRef[];
}
/** The current version of {@link RouteRungV1}. */
export type RouteRung = RouteRungV1;

/** What the router chose, and why. */
export interface RouteDecisionV1 extends RouteRungV1 {
  level: ComplexityLevel;
  /** Complexity score, 0..1. */
  score: number;
  /** Human-readable reasons, from the signals that produced the decision. */
  reasons: string[];
  /** Stronger rungs to escalate to when the judge finds an answer weak, in order. Empty: no cascade. */
  ladder: RouteRungV1[];
  /** Expected cost of the chosen model for this request, in micro-dollars. */
  estimatedCostMicros: number;
}
/** The current version of {@link RouteDecisionV1}. */
export type RouteDecision = RouteDecisionV1;

/** The judge's view of an answer. */
export interface VerdictV1 {
  /** True when the answer should be retried on the next rung. */
  escalate: boolean;
  /** Confidence in the answer, 0..1. */
  confidence: number;
  reasons: string[];
}
/** The current version of {@link VerdictV1}. */
export type Verdict = VerdictV1;

/** What the gateway tells the router about a request besides the request itself. */
export interface RouteContextV1 {
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
  /**
   * Providers the gateway can call: an adapter and at least one key in the pool. A router should
   * choose (and plan fallbacks) among these only; absent means unknown. The gateway drops ladder
   * and fallback entries of other providers either way.
   */
  providers?: readonly string[];
}
/** The current version of {@link RouteContextV1}. */
export type RouteContext = RouteContextV1;

/** An outcome observed after a request, for routers that learn. */
export interface RouteFeedbackV1 {
  requestId: string;
  tenantId?: string;
  outcome:
    | { type: 'cascade'; from: string; to: string }
    | { type: 'rating'; score: number }
    | { type: 'judged'; score: number };
  /** The model whose answer the outcome concerns (the judged answer's, or the cascade's origin). */
  model?: ModelRef;
  /** Why: the judge's reasons, for a verdict or a cascade. */
  reasons?: string[];
}
/** The current version of {@link RouteFeedbackV1}. */
export type RouteFeedback = RouteFeedbackV1;

/** Options of one {@link JudgeContextV1.complete} call. */
export interface JudgeCallOptions {
  /** Upper bound of the call, in milliseconds; the gateway's attempt timeout when absent. */
  timeoutMs?: number;
}

/**
 * What the gateway lends a judge: the request's abort signal, and `complete`, which runs one
 * provider call through the gateway's engine (key lease, resilience, metering as its own attempt
 * with `purpose: 'judge'`, budget settlement), for judges that ask a model.
 */
export interface JudgeContextV1 {
  /** Aborts with the request. */
  signal?: AbortSignal;
  /**
   * Calls one model and returns its whole answer. No cascade, no fallback.
   * @throws the provider's error, NoCapacityError, AbortedError, ProviderTimeoutError.
   */
  complete(ref: ModelRef, request: ChatRequest, options?: JudgeCallOptions): Promise<ChatResultV1>;
}
/** The current version of {@link JudgeContextV1}. */
export type JudgeContext = JudgeContextV1;

/** Picks a model for each request and judges answers for cascades. */
export interface RouterV1 {
  readonly specificationVersion: 'v1';
  /** @throws BudgetExceededError when the policy refuses what the budget cannot afford. */
  decide(
    request: ChatRequest,
    policy: TenantPolicy,
    route: RouteContextV1,
  ): RouteDecisionV1 | Promise<RouteDecisionV1>;
  /**
   * Whether an answer is weak enough to escalate to the next rung of the ladder. `judge` may use
   * `judgeContext.complete` to ask a model (an LLM judge); the gateway always passes it.
   */
  judge(
    result: ChatResultV1,
    decision: RouteDecisionV1,
    request: ChatRequest,
    judgeContext?: JudgeContextV1,
  ): VerdictV1 | Promise<VerdictV1>;
  /**
   * An outcome observed later, for routers that learn. The gateway calls it after each judge
   * verdict (`judged`, score 1 kept, 0 escalated) and after each cascade; a throw is reported as a
   * `gateway.error` event and never fails the request.
   */
  feedback?(feedback: RouteFeedbackV1): void;
}
