import type { ChatChunk, ChatRequest, ChatResult, FinishReason, Usage } from '../chat.js';
import type { RequestContext } from '../context.js';
import type { Forge1Error } from '../errors.js';
import type { AttemptPurpose, RequestMode } from '../events.js';
import type { RouteDecision } from '../ports/router.js';
import type { TenantPolicy } from '../tenancy.js';
import type { GatewayResult } from './types.js';

/** What a middleware sees of the request it serves; one per middleware and request. */
export interface MiddlewareContext<State = Record<string, unknown>> {
  readonly requestId: string;
  readonly tenantId: string;
  readonly mode: RequestMode;
  /** The request context (tenant, client, employee, user, session). */
  readonly context: RequestContext;
  /** The tenant's policy (resolved before `transformRequest`). */
  readonly policy: TenantPolicy;
  /** The routing decision, once routed (absent in `transformRequest`). */
  readonly decision: RouteDecision | undefined;
  /** The caller's abort signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** This middleware's state for this request, from `createState` (or `{}`): carry data between hooks. */
  readonly state: State;
  /**
   * Adds `count` to a named figure on the request's usage records (e.g. `redacted.email`). Each
   * record carries what was added since the previous record, so the sum over a request's records
   * is the request's total; figures added after the last record reach no record.
   */
  annotate(name: string, count: number): void;
}

/** The attempt a `wrapAttempt` hook wraps. `keyId` and `queueWaitMs` are set once the key is leased. */
export interface MiddlewareAttempt {
  readonly provider: string;
  readonly model: string;
  /** 1-based number of the attempt within the request. */
  readonly attempt: number;
  readonly purpose: AttemptPurpose;
  /** 0 for the routed rung, 1… for the ladder rungs of a cascade. */
  readonly rung: number;
  readonly cascaded: boolean;
  readonly fallback: boolean;
  keyId: string | undefined;
  queueWaitMs: number | undefined;
}

/** How an attempt ended, as `next()` resolves it. `error` is set exactly when `ok` is false. */
export interface AttemptOutcome {
  readonly ok: boolean;
  /** The provider's answer (for a stream: assembled from the chunks the caller received). */
  readonly result: ChatResult | undefined;
  readonly error: Forge1Error | undefined;
  readonly usage: Usage;
  readonly costMicros: number;
  readonly finishReason: FinishReason | undefined;
  readonly keyId: string | undefined;
  readonly queueWaitMs: number | undefined;
  readonly latencyMs: number;
  /** True when the usage is (partly) the gateway's estimate. */
  readonly estimated: boolean;
}

/** How a request ended, as `onResult` sees it. */
export type RequestOutcome = { ok: true; result: GatewayResult } | { ok: false; error: Forge1Error };

/** What `transformChunk` returns: one chunk, several, none (`[]`, to hold text back), or nothing (unchanged). */
export type ChunkOutput = ChatChunk | readonly ChatChunk[] | undefined;

/**
 * A gateway middleware: ordered, typed hooks, each optional. A hook that throws refuses the
 * request: the caller receives the thrown `Forge1Error` (anything else becomes `internal_error`)
 * and a `middleware.refused` event names the middleware and hook.
 */
export interface GatewayMiddleware<State = Record<string, unknown>> {
  /** Names the middleware in events. */
  readonly name: string;
  /** Creates the per-request state (`context.state`). @default () => ({}) */
  createState?(): State;
  /**
   * After validation and tenant resolution, before estimation, guard and routing. Returns the
   * request to continue with (messages, tools, tool-call arguments may change), or nothing to keep it.
   */
  transformRequest?(
    request: ChatRequest,
    context: MiddlewareContext<State>,
  ): ChatRequest | undefined | Promise<ChatRequest | undefined>;
  /**
   * Around each provider attempt (answers and judge calls, chat and stream), from the key lease to
   * the usage record. Call `next()` exactly once; for a stream it settles when the attempt's stream
   * has ended. Return its outcome (a chat result may be changed).
   */
  wrapAttempt?(
    attempt: MiddlewareAttempt,
    next: () => Promise<AttemptOutcome>,
    context: MiddlewareContext<State>,
  ): Promise<AttemptOutcome>;
  /**
   * On each streamed chunk, in order, synchronously. Return `[]` to hold text back and emit it
   * with a later chunk or from `flush`. Usage chunks never reach it.
   */
  transformChunk?(chunk: ChatChunk, context: MiddlewareContext<State>): ChunkOutput;
  /** Before the `finish` chunk reaches this middleware: what it still holds back. */
  flush?(context: MiddlewareContext<State>): readonly ChatChunk[] | undefined;
  /**
   * At the end, in reverse order, with the final result or the error. On success it may return a
   * changed result (e.g. restored placeholders); on an error its return value is ignored.
   */
  onResult?(
    outcome: RequestOutcome,
    context: MiddlewareContext<State>,
  ): GatewayResult | undefined | Promise<GatewayResult | undefined>;
}
