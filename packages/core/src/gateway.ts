import { type Catalog, costOf as costOfPrices, createCatalog, type ModelPrices } from './catalog.js';
import {
  addUsage,
  type ChatChunk,
  type ChatRequest,
  type ChatResult,
  emptyUsage,
  type ToolCall,
  totalTokens,
  type Usage,
} from './chat.js';
import { type Clock, systemClock } from './clock.js';
import { deriveContext, type RequestContext, runInContext } from './context.js';
import {
  BudgetExceededError,
  ClosedError,
  ErrorCode,
  Forge1Error,
  toForge1Error,
  ValidationError,
} from './errors.js';
import { createEventBus, type EventBus } from './events.js';
import { type GatewayChatInput, parseGatewayInput, toChatRequest } from './gateway-input.js';
import { ulid } from './ids.js';
import { once, wrapAdapter } from './plugins.js';
import type { GuardGrant, GuardV1 } from './ports/guard.js';
import type { KeyPoolV1, Lease } from './ports/key-pool.js';
import type { MeterV1 } from './ports/meter.js';
import type { ProviderAdapterV1 } from './ports/provider-adapter.js';
import type { ComplexityLevel, ModelRef, RouteDecision, RouteRung, RouterV1 } from './ports/router.js';
import type { TenantResolver } from './ports/tenant-resolver.js';
import type { TenantPolicy } from './tenancy.js';
import { estimateCharTokens, estimateTokens, type TokenEstimate, type TokenEstimator } from './tokens.js';
import { billingPeriod, type UsageRecord } from './usage-record.js';

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
   * Validates, resolves the tenant, checks quota and budget, routes, leases a key, calls the
   * provider, cascades and falls back as needed, meters every attempt.
   * @throws ValidationError, UnknownTenantError, QuotaExceededError, BudgetExceededError,
   * NoCapacityError, CircuitOpenError, AbortedError, or the last provider error.
   */
  chat(input: GatewayChatInput): Promise<GatewayResult>;
  /** Like `chat`, streamed; no cascade (the answer is already on its way), fallback before the first chunk. */
  stream(input: GatewayChatInput): GatewayStream;
  readonly events: EventBus;
  readonly catalog: Catalog;
  /** Closes the meter and the adapters. Idempotent. */
  close(): Promise<void>;
}

interface Run {
  request: ChatRequest;
  context: RequestContext;
  policy: TenantPolicy;
  estimate: TokenEstimate;
  grant: GuardGrant | null;
  decision: RouteDecision;
  signal: AbortSignal | undefined;
  attempts: AttemptInfo[];
}

interface AttemptFlags {
  cascaded: boolean;
  fallback: boolean;
}

// Errors after which another provider may succeed where this one failed.
const fallbackCodes = new Set<string>([
  ErrorCode.noCapacity,
  ErrorCode.circuitOpen,
  ErrorCode.unavailable,
  ErrorCode.timeout,
  ErrorCode.rateLimited,
  ErrorCode.auth,
]);
// Errors that concern one key: the pool cools or disables it, and another key may serve.
const keyCodes = new Set<string>([ErrorCode.rateLimited, ErrorCode.auth]);

/**
 * Creates the gateway that ties tenants, router, key pool, adapters, guard and meter together.
 * @throws ValidationError when a plug-in is not a v1 implementation.
 * @example
 * ```ts
 * const gateway = createGateway({ tenants, router, keys, providers: { openai: openaiAdapter }, meter });
 * const answer = await gateway.chat({ tenant: 'acme', user: 'u1', messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export function createGateway(options: GatewayOptions): Gateway {
  const clock = options.clock ?? systemClock;
  const events = options.events ?? createEventBus();
  const catalog = options.catalog ?? createCatalog();
  const estimator = options.estimateTokens ?? estimateTokens;
  const keyAttempts = options.keyAttempts ?? 3;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
  const { router, keys, tenants, meter, guard } = options;
  for (const [name, plugin] of [
    ['router', router],
    ['key pool', keys],
  ] as const) {
    if (plugin?.specificationVersion !== 'v1') {
      throw new ValidationError('gateway options', [
        { path: name, message: "expected a 'v1' implementation" },
      ]);
    }
  }
  const providers = new Map(
    Object.entries(options.providers).map(([name, adapter]) => [name, wrapAdapter(adapter)]),
  );
  let closed = false;

  const costOf = (model: string, usage: Usage) => (catalog.get(model) ? catalog.costOf(model, usage) : 0);

  // Prices of the models a policy allows on configured providers, by policy object (stores
  // hand out the same frozen policy until it changes).
  const allowedPrices = new WeakMap<TenantPolicy, ModelPrices[]>();
  function minimumCost(policy: TenantPolicy, estimate: TokenEstimate): number {
    let prices = allowedPrices.get(policy);
    if (!prices) {
      prices = catalog
        .list({
          ...(policy.allowedModels ? { ids: policy.allowedModels } : {}),
          ...(policy.allowedProviders ? { providers: policy.allowedProviders } : {}),
        })
        .filter((m) => providers.has(m.provider))
        .map((m) => m.prices);
      allowedPrices.set(policy, prices);
    }
    const usage = { inputTokens: estimate.input, outputTokens: estimate.output, cachedInputTokens: 0 };
    let minimum = Number.POSITIVE_INFINITY;
    for (const price of prices) minimum = Math.min(minimum, costOfPrices(price, usage));
    return prices.length ? minimum : 0;
  }

  async function prepare(input: GatewayChatInput, context: RequestContext): Promise<Run> {
    const request = toChatRequest(input);
    const policy = await tenants.resolve(context.tenantId);
    const estimate = estimator(request);
    const grant = guard
      ? await guard.check({
          policy,
          context,
          minimumCostMicros: minimumCost(policy, estimate),
          estimatedTokens: estimate.input + estimate.output,
        })
      : null;
    const route = (remainingBudgetMicros: number | null) =>
      router.decide(request, policy, {
        context,
        remainingBudgetMicros,
        estimatedInputTokens: estimate.input,
        ...(keys.headroom
          ? { headroom: (provider: string) => keys.headroom?.(provider, policy.regions ?? undefined) ?? 1 }
          : {}),
      });
    let decision = await route(grant?.remainingBudgetMicros ?? null);
    if (grant && guard?.reserve && grant.remainingBudgetMicros !== null) {
      try {
        await guard.reserve(grant, decision.estimatedCostMicros);
      } catch (error) {
        // Concurrent requests spent part of the budget since the check: route again within
        // what is left (the router downgrades or refuses, as the policy says), once.
        if (!BudgetExceededError.is(error)) throw error;
        const { limit, used } = error;
        decision = await route(Math.max(0, (limit ?? 0) - (used ?? 0)));
        await guard.reserve(grant, decision.estimatedCostMicros);
      }
    }
    events.emit('route', { requestId: context.requestId, tenantId: context.tenantId, decision });
    return { request, context, policy, estimate, grant, decision, signal: input.signal, attempts: [] };
  }

  function startContext(raw: GatewayChatInput): { input: GatewayChatInput; context: RequestContext } {
    if (closed) throw new ClosedError('gateway');
    const input = parseGatewayInput(raw);
    const context = deriveContext(
      {
        ...(input.tenant === undefined ? {} : { tenantId: input.tenant }),
        ...(input.client === undefined ? {} : { clientId: input.client }),
        ...(input.employee === undefined ? {} : { employeeId: input.employee }),
        ...(input.user === undefined ? {} : { userId: input.user }),
        ...(input.session === undefined ? {} : { sessionId: input.session }),
        ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
      },
      () => clock.now(),
    );
    if (!context.tenantId) {
      throw new ValidationError('chat request', [
        { path: 'tenant', message: 'required (or set by runWithContext)' },
      ]);
    }
    return { input, context };
  }

  async function recordAttempt(
    run: Run,
    info: Omit<AttemptInfo, 'costMicros'> & { status: UsageRecord['status'] },
  ): Promise<AttemptInfo> {
    const { status, ...rest } = info;
    const attempt: AttemptInfo = { ...rest, costMicros: costOf(info.model, info.usage) };
    run.attempts.push(attempt);
    const { context } = run;
    events.emit('attempt', {
      requestId: context.requestId,
      tenantId: context.tenantId,
      attempt: attempt.attempt,
      provider: attempt.provider,
      model: attempt.model,
      ...(attempt.keyId === undefined ? {} : { keyId: attempt.keyId }),
      ok: attempt.ok,
      ...(attempt.errorCode === undefined ? {} : { errorCode: attempt.errorCode }),
      latencyMs: attempt.latencyMs,
      usage: attempt.usage,
    });
    if (totalTokens(attempt.usage) === 0) return attempt;
    const record: UsageRecord = {
      id: ulid(),
      timestamp: clock.now(),
      period: billingPeriod(clock.now()),
      tenantId: context.tenantId,
      requestId: context.requestId,
      attempt: attempt.attempt,
      provider: attempt.provider,
      model: attempt.model,
      inputTokens: attempt.usage.inputTokens,
      outputTokens: attempt.usage.outputTokens,
      cachedInputTokens: attempt.usage.cachedInputTokens,
      costMicros: attempt.costMicros,
      latencyMs: Math.max(0, Math.round(attempt.latencyMs)),
      status,
      level: run.decision.level,
      cascaded: attempt.cascaded,
      fallback: attempt.fallback,
      ...(context.clientId === undefined ? {} : { clientId: context.clientId }),
      ...(context.employeeId === undefined ? {} : { employeeId: context.employeeId }),
      ...(context.userId === undefined ? {} : { userId: context.userId }),
      ...(context.sessionId === undefined ? {} : { sessionId: context.sessionId }),
      ...(attempt.keyId === undefined ? {} : { keyId: attempt.keyId }),
      ...(attempt.errorCode === undefined ? {} : { errorCode: attempt.errorCode }),
      ...(run.request.metadata === undefined ? {} : { metadata: run.request.metadata }),
    };
    await meter?.record(record);
    events.emit('usage', { record });
    return attempt;
  }

  const release = (lease: Lease, outcome: Parameters<Lease['release']>[0]) => {
    try {
      lease.release(outcome);
    } catch {
      // A pool that fails to release must not turn a served answer into an error.
    }
  };

  function adapterFor(ref: ModelRef): ProviderAdapterV1 {
    const adapter = providers.get(ref.provider);
    if (!adapter) {
      throw new ValidationError('route', [
        { path: 'provider', message: `no adapter for provider "${ref.provider}"` },
      ]);
    }
    return adapter;
  }

  const acquire = (run: Run, ref: ModelRef) =>
    keys.acquire({
      provider: ref.provider,
      model: ref.model,
      estTokens: run.estimate.input + run.estimate.output,
      tenantId: run.context.tenantId,
      tier: run.policy.tier,
      ...(run.policy.regions ? { regions: run.policy.regions } : {}),
      ...(run.signal === undefined ? {} : { signal: run.signal }),
    });

  const callOptions = (run: Run, lease: Lease) => ({
    apiKey: lease.secret,
    keyId: lease.keyId,
    timeoutMs: attemptTimeoutMs,
    retryRateLimits: false,
    ...(run.signal === undefined ? {} : { signal: run.signal }),
  });

  /** One model, trying further keys when a key is rate-limited or refused. */
  async function callModel(run: Run, ref: ModelRef, flags: AttemptFlags): Promise<ChatResult> {
    const adapter = adapterFor(ref);
    for (let keyTry = 1; ; keyTry++) {
      const lease = await acquire(run, ref);
      const attempt = run.attempts.length + 1;
      const started = clock.now();
      try {
        const result = await adapter.chat({ ...run.request, model: ref.model }, callOptions(run, lease));
        release(lease, { usage: result.usage, ...(result.rateLimit ? { rateLimit: result.rateLimit } : {}) });
        const latencyMs = clock.now() - started;
        await recordAttempt(run, {
          ...ref,
          ...flags,
          attempt,
          keyId: lease.keyId,
          ok: true,
          usage: result.usage,
          latencyMs,
          status: 'ok',
        });
        return result;
      } catch (thrown) {
        const error = toForge1Error(thrown);
        const rateLimit = (error as { rateLimit?: ChatResult['rateLimit'] }).rateLimit;
        release(lease, { error, ...(rateLimit ? { rateLimit } : {}) });
        if (error.code === ErrorCode.internal) throw error;
        await recordAttempt(run, {
          ...ref,
          ...flags,
          attempt,
          keyId: lease.keyId,
          ok: false,
          errorCode: error.code,
          usage: emptyUsage(),
          latencyMs: clock.now() - started,
          status: error.code === ErrorCode.aborted ? 'aborted' : 'error',
        });
        if (keyTry < keyAttempts && keyCodes.has(error.code)) continue;
        throw error;
      }
    }
  }

  /** A rung and then its fallbacks, in order, on errors another provider might not have. */
  async function callRung(
    run: Run,
    rung: RouteRung,
    cascaded: boolean,
  ): Promise<{ result: ChatResult; fellBack: boolean }> {
    const candidates: ModelRef[] = [rung, ...rung.fallbacks];
    for (let index = 0; ; index++) {
      const ref = candidates[index]!;
      try {
        const result = await callModel(run, ref, { cascaded, fallback: index > 0 });
        return { result, fellBack: index > 0 };
      } catch (thrown) {
        const error = toForge1Error(thrown);
        const next = candidates[index + 1];
        if (!next || !fallbackCodes.has(error.code) || run.signal?.aborted) throw error;
        events.emit('fallback', {
          requestId: run.context.requestId,
          tenantId: run.context.tenantId,
          from: { provider: ref.provider, model: ref.model },
          to: { provider: next.provider, model: next.model },
          errorCode: error.code,
        });
      }
    }
  }

  function summarise(run: Run, result: ChatResult, cascaded: boolean, fellBack: boolean): GatewayResult {
    const totalUsage = run.attempts.reduce((sum, a) => addUsage(sum, a.usage), emptyUsage());
    const costMicros = run.attempts.reduce((sum, a) => sum + a.costMicros, 0);
    return {
      ...result,
      requestId: run.context.requestId,
      tenantId: run.context.tenantId,
      level: run.decision.level,
      decision: run.decision,
      attempts: run.attempts,
      cascaded,
      fellBack,
      costMicros,
      totalUsage,
    };
  }

  async function settle(run: Run | undefined, served: boolean) {
    if (!run?.grant || !guard) return;
    const costMicros = run.attempts.reduce((sum, a) => sum + a.costMicros, 0);
    const tokens = run.attempts.reduce((sum, a) => sum + totalTokens(a.usage), 0);
    await guard.settle(run.grant, { costMicros, tokens, served });
  }

  function done(run: Run, result: GatewayResult) {
    events.emit('request.done', {
      requestId: run.context.requestId,
      tenantId: run.context.tenantId,
      level: run.decision.level,
      provider: result.provider,
      model: result.model,
      costMicros: result.costMicros,
      latencyMs: clock.now() - run.context.startedAt,
      cascaded: result.cascaded,
      fellBack: result.fellBack,
    });
  }

  function failed(context: RequestContext, error: unknown): Forge1Error {
    const normalised = toForge1Error(error);
    events.emit('request.error', {
      requestId: context.requestId,
      tenantId: context.tenantId,
      errorCode: normalised.code,
    });
    return normalised;
  }

  async function chat(raw: GatewayChatInput): Promise<GatewayResult> {
    const { input, context } = startContext(raw);
    return runInContext(context, async () => {
      let run: Run | undefined;
      let served = false;
      try {
        run = await prepare(input, context);
        const rungs: RouteRung[] = [run.decision, ...run.decision.ladder];
        let best: { result: ChatResult; fellBack: boolean; rung: number } | undefined;
        for (let index = 0; index < rungs.length; index++) {
          let outcome: { result: ChatResult; fellBack: boolean };
          try {
            outcome = await callRung(run, rungs[index]!, index > 0);
          } catch (error) {
            // A weak answer in hand beats an error from the stronger rung.
            if (best && !run.signal?.aborted) break;
            throw error;
          }
          best = { ...outcome, rung: index };
          served = true;
          const next = rungs[index + 1];
          if (!next) break;
          const verdict = await router.judge(outcome.result, run.decision, run.request);
          if (!verdict.escalate) break;
          events.emit('cascade', {
            requestId: context.requestId,
            tenantId: context.tenantId,
            from: { provider: outcome.result.provider, model: outcome.result.model },
            to: { provider: next.provider, model: next.model },
            reasons: verdict.reasons,
          });
        }
        const result = summarise(run, best!.result, best!.rung > 0, best!.fellBack);
        done(run, result);
        return result;
      } catch (error) {
        throw failed(context, error);
      } finally {
        await settle(run, served);
      }
    });
  }

  function stream(raw: GatewayChatInput): GatewayStream {
    let settled: { result?: GatewayResult; error?: unknown } | undefined;
    const waiters: Array<() => void> = [];
    const finish = (outcome: { result?: GatewayResult; error?: unknown }) => {
      settled = outcome;
      for (const wake of waiters.splice(0)) wake();
    };
    const requestId =
      typeof raw === 'object' && raw !== null && typeof raw.requestId === 'string' ? raw.requestId : ulid();
    const withId = typeof raw === 'object' && raw !== null ? { ...raw, requestId } : raw;

    async function* run(): AsyncGenerator<ChatChunk> {
      try {
        const { input, context } = startContext(withId);
        const result = yield* inContext(context, streamRun(input, context));
        finish({ result });
      } catch (error) {
        finish({ error });
        throw error;
      }
    }
    return {
      requestId,
      [Symbol.asyncIterator]: () => run(),
      final: () =>
        new Promise<GatewayResult>((resolve, reject) => {
          const deliver = () => (settled?.result ? resolve(settled.result) : reject(settled?.error));
          if (settled) deliver();
          else waiters.push(deliver);
        }),
    };
  }

  async function* streamRun(
    input: GatewayChatInput,
    context: RequestContext,
  ): AsyncGenerator<ChatChunk, GatewayResult> {
    let run: Run | undefined;
    let served = false;
    try {
      run = await prepare(input, context);
      const candidates: ModelRef[] = [run.decision, ...run.decision.fallbacks];
      for (let index = 0; ; index++) {
        const ref = candidates[index]!;
        const outcome = yield* streamModel(run, ref, { cascaded: false, fallback: index > 0 });
        if (outcome.result) {
          served = true;
          const result = summarise(run, outcome.result, false, index > 0);
          done(run, result);
          return result;
        }
        const error = outcome.error!;
        const next = candidates[index + 1];
        if (outcome.yielded || !next || !fallbackCodes.has(error.code) || run.signal?.aborted) throw error;
        events.emit('fallback', {
          requestId: context.requestId,
          tenantId: context.tenantId,
          from: { provider: ref.provider, model: ref.model },
          to: { provider: next.provider, model: next.model },
          errorCode: error.code,
        });
      }
    } catch (error) {
      throw failed(context, error);
    } finally {
      await settle(run, served);
    }
  }

  /** Streams one model; errors before the first chunk move to another key or are returned for fallback. */
  async function* streamModel(
    run: Run,
    ref: ModelRef,
    flags: AttemptFlags,
  ): AsyncGenerator<ChatChunk, { result?: ChatResult; error?: Forge1Error; yielded: boolean }> {
    const adapter = adapterFor(ref);
    for (let keyTry = 1; ; keyTry++) {
      let lease: Lease;
      try {
        lease = await acquire(run, ref);
      } catch (error) {
        return { error: toForge1Error(error), yielded: false };
      }
      const attempt = run.attempts.length + 1;
      const started = clock.now();
      let text = '';
      const toolCalls: ToolCall[] = [];
      let streamedChars = 0;
      let yielded = false;
      let finishChunk: Extract<ChatChunk, { type: 'finish' }> | undefined;
      let failure: Forge1Error | undefined;
      try {
        for await (const chunk of adapter.stream(
          { ...run.request, model: ref.model },
          callOptions(run, lease),
        )) {
          if (chunk.type === 'text-delta') {
            text += chunk.text;
            streamedChars += chunk.text.length;
          } else if (chunk.type === 'tool-call-delta') streamedChars += chunk.argumentsDelta.length;
          else if (chunk.type === 'tool-call') toolCalls.push(chunk.toolCall);
          else finishChunk = chunk;
          yielded = true;
          yield chunk;
        }
      } catch (thrown) {
        failure = toForge1Error(thrown);
      } finally {
        // Runs on success, on error, and when the consumer stops iterating (return()).
        const latencyMs = clock.now() - started;
        const complete = finishChunk !== undefined && failure === undefined;
        const usage: Usage = finishChunk
          ? finishChunk.usage
          : yielded
            ? {
                inputTokens: run.estimate.input,
                outputTokens: estimateCharTokens(streamedChars),
                cachedInputTokens: 0,
              }
            : emptyUsage();
        const errorCode = complete ? undefined : (failure?.code ?? ErrorCode.aborted);
        release(
          lease,
          failure
            ? { error: failure, usage }
            : { usage, ...(finishChunk?.rateLimit ? { rateLimit: finishChunk.rateLimit } : {}) },
        );
        await recordAttempt(run, {
          ...ref,
          ...flags,
          attempt,
          keyId: lease.keyId,
          ok: complete,
          ...(errorCode === undefined ? {} : { errorCode }),
          usage,
          latencyMs,
          status: complete ? 'ok' : failure && failure.code !== ErrorCode.aborted ? 'error' : 'aborted',
        });
      }
      if (failure) {
        if (!yielded && keyTry < keyAttempts && keyCodes.has(failure.code)) continue;
        return { error: failure, yielded };
      }
      if (!finishChunk) {
        return {
          error: new Forge1Error(
            ErrorCode.unavailable,
            `stream from ${ref.provider} ended without a finish chunk`,
          ),
          yielded,
        };
      }
      const result: ChatResult = {
        text,
        toolCalls,
        finishReason: finishChunk.finishReason,
        usage: finishChunk.usage,
        provider: finishChunk.provider,
        model: finishChunk.model,
        latencyMs: clock.now() - started,
        ...(finishChunk.rateLimit ? { rateLimit: finishChunk.rateLimit } : {}),
        ...(finishChunk.providerRequestId ? { providerRequestId: finishChunk.providerRequestId } : {}),
      };
      return { result, yielded };
    }
  }

  const closeAll = once(async () => {
    closed = true;
    await meter?.close();
    await Promise.all([...providers.values()].map((adapter) => adapter.close?.()));
    await keys.close?.();
  });

  return { chat, stream, events, catalog, close: closeAll };
}

/** Drives a generator so that each step runs inside the request context. */
function inContext<T, R>(context: RequestContext, generator: AsyncGenerator<T, R>): AsyncGenerator<T, R> {
  const step = (fn: () => Promise<IteratorResult<T, R>>) => runInContext(context, fn);
  const wrapped: AsyncGenerator<T, R> = {
    next: (...args) => step(() => generator.next(...args)),
    return: (value) => step(() => generator.return(value)),
    throw: (error) => step(() => generator.throw(error)),
    [Symbol.asyncIterator]: () => wrapped,
    [Symbol.asyncDispose]: async () => {
      await step(() => generator.return(undefined as R));
    },
  };
  return wrapped;
}
