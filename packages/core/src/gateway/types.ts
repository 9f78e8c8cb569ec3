import type { Catalog } from '../catalog.js';
import type { ChatChunk, ChatResult, FinishReason, Usage } from '../chat.js';
import type { Clock } from '../clock.js';
import type { AttemptPurpose, EventBus } from '../events.js';
import type { GuardV1 } from '../ports/guard.js';
import type { KeyPoolV1 } from '../ports/key-pool.js';
import type { MeterV1 } from '../ports/meter.js';
import type { ProviderAdapterV1 } from '../ports/provider-adapter.js';
import type { ComplexityLevel, ModelRef, RouteDecision, RouterV1 } from '../ports/router.js';
import type { TenantResolver } from '../ports/tenant-resolver.js';
import type { TokenEstimator } from '../tokens.js';
import type { GatewayEmbedInput, GatewayEmbedResult } from './embed.js';
import type { GatewayChatInput } from './input.js';
import type { GatewayMiddleware } from './middleware.js';

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  tenants: TenantResolver;
  router: RouterV1;
  keys: KeyPoolV1;
  /** Adapters by provider name (`openai`, `anthropic`, `google`, `deepseek`, …). */
  providers: Record<string, ProviderAdapterV1>;
  /** Usage is recorded here, one record per attempt that consumed tokens. */
  meter?: MeterV1;
  /** Quotas and budgets, checked before routing and settled after. */
  guard?: GuardV1;
  /**
   * Ordered hooks around every request: `transformRequest` in order, `wrapAttempt` outermost
   * first, `transformChunk` in order, `onResult` in reverse order. @default []
   */
  middleware?: readonly GatewayMiddleware<unknown>[];
  /** Prices for usage records and budget estimates. @default createCatalog() */
  catalog?: Catalog;
  /** @default a new bus, exposed as `gateway.events` */
  events?: EventBus;
  clock?: Clock;
  /** @default estimateTokens (about four characters a token) */
  estimateTokens?: TokenEstimator;
  /** How many keys to try for one model when a key is rate-limited or refused. @default 3 */
  keyAttempts?: number;
  /** Timeout of one provider attempt, in milliseconds. @default 60000 */
  attemptTimeoutMs?: number;
}

/** One provider attempt of a request. */
export interface AttemptInfo extends ModelRef {
  attempt: number;
  keyId?: string;
  ok: boolean;
  errorCode?: string;
  usage: Usage;
  costMicros: number;
  latencyMs: number;
  cascaded: boolean;
  fallback: boolean;
  /** `judge` for a call a router's judge made through `JudgeContext.complete`. @default 'answer' */
  purpose?: AttemptPurpose;
  /** Milliseconds the attempt waited for its key lease. */
  queueWaitMs?: number;
  finishReason?: FinishReason;
  /** True when the usage is (partly) the gateway's estimate: a cut stream or an aborted call. */
  estimated?: boolean;
}

/** The answer to a gateway request, with how it was obtained. */
export interface GatewayResult extends ChatResult {
  requestId: string;
  tenantId: string;
  level: ComplexityLevel;
  decision: RouteDecision;
  attempts: AttemptInfo[];
  /** True when the answer came from a rung above the first choice. */
  cascaded: boolean;
  /** True when the answer came from a fallback provider. */
  fellBack: boolean;
  /** Cost of every attempt of the request, in micro-dollars. */
  costMicros: number;
  /** Usage of every attempt of the request. */
  totalUsage: Usage;
}

/** A streamed gateway answer: iterate it for chunks, then `final()` for the whole result. */
export interface GatewayStream extends AsyncIterable<ChatChunk> {
  readonly requestId: string;
  /** Resolves when the stream completes; rejects with the stream's error. */
  final(): Promise<GatewayResult>;
}

/** The request pipeline. */
export interface Gateway {
  /**
   * Validates, resolves the tenant, runs the middleware, checks quota and budget, routes, leases
   * a key, calls the provider, cascades and falls back as needed, meters every attempt.
   * @throws ValidationError, UnknownTenantError, QuotaExceededError, BudgetExceededError,
   * NoCapacityError, CircuitOpenError, AbortedError, ConfigurationError, a middleware's refusal,
   * or the last provider error.
   */
  chat(input: GatewayChatInput): Promise<GatewayResult>;
  /** Like `chat`, streamed; no cascade (the answer is already on its way), fallback before the first chunk. */
  stream(input: GatewayChatInput): GatewayStream;
  /**
   * Embeds texts with an embedding model of the catalog (the one asked for, else the cheapest the
   * tenant may use), through tenancy, the guard, the key pool, fallback to other embedding models
   * and metering.
   * @throws ValidationError (e.g. `model` is not an embedding model), UnknownTenantError,
   * QuotaExceededError, BudgetExceededError, ConfigurationError, or the last provider error.
   */
  embed(input: GatewayEmbedInput): Promise<GatewayEmbedResult>;
  readonly events: EventBus;
  readonly catalog: Catalog;
  /** Closes the meter and the adapters. Idempotent. */
  close(): Promise<void>;
}
