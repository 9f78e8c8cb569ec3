import type { ChatRequest, ChatResult, ProviderChatRequest, Usage } from '../chat.js';
import { emptyUsage } from '../chat.js';
import type { Clock } from '../clock.js';
import { type ContentPartCounts, countContentParts } from '../content.js';
import { ConfigurationError, ErrorCode, Forge1Error, toForge1Error } from '../errors.js';
import type { AttemptPurpose, Forge1Events } from '../events.js';
import { ulid } from '../ids.js';
import type { KeyDemand, KeyPoolV1, Lease, LeaseOutcome } from '../ports/key-pool.js';
import type { MeterV1 } from '../ports/meter.js';
import type { ProviderAdapterV1, ProviderCall } from '../ports/provider-adapter.js';
import type { ModelRef, RouteRung } from '../ports/router.js';
import { ProviderError } from '../provider-errors.js';
import { estimateCharTokens, type TokenEstimate } from '../tokens.js';
import { type Emit, emitSideError } from './emit.js';
import type { AttemptOutcome, MiddlewareAttempt } from './middleware.js';
import type { Prepared, Run } from './run.js';
import type { AttemptInfo } from './types.js';
import { buildUsageRecord, consumedTokens } from './usage.js';

/** What the engine is built from. */
export interface EngineDeps {
  clock: Clock;
  keys: KeyPoolV1;
  adapters: ReadonlyMap<string, ProviderAdapterV1>;
  /** The cost of `usage` on `model` at the prices in force at `at` (epoch milliseconds). */
  costOf(model: string, usage: Usage, at: number): number;
  meter: MeterV1 | undefined;
  emit: Emit;
  keyAttempts: number;
  attemptTimeoutMs: number;
}

/** What an executor reports while it runs, for the usage of an attempt cut short. */
export interface Progress {
  /** The adapter was called with a live signal: the provider may have received the prompt. */
  started: boolean;
  /** Content chunks received from the provider (a stream can no longer move elsewhere). */
  yielded: boolean;
  /** Characters of text and tool-call arguments received. */
  chars: number;
  /** The latest usage the provider reported before the end. */
  reported: Usage | undefined;
}

/** Runs one provider call: `adapter.chat`, or a stream read into the caller's channel. */
export type Executor = (
  adapter: ProviderAdapterV1,
  request: ProviderChatRequest,
  call: ProviderCall,
  progress: Progress,
) => Promise<ChatResult>;

/** One attempt to make. */
export interface AttemptPlan {
  ref: ModelRef;
  purpose: AttemptPurpose;
  rung: number;
  cascaded: boolean;
  fallback: boolean;
  request: ChatRequest;
  estimate: TokenEstimate;
  timeoutMs: number;
}

/** An attempt's outcome and whether the request may still move to another key or provider. */
export interface AttemptRun {
  outcome: AttemptOutcome;
  /** Content reached the caller or a middleware: a stream cannot move elsewhere. */
  yielded: boolean;
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

/** Usage of an attempt that ended without the provider's final figures. */
function partialUsage(progress: Progress, error: Forge1Error, estimate: TokenEstimate) {
  const output = estimateCharTokens(progress.chars);
  if (progress.reported) {
    const usage = { ...progress.reported, outputTokens: Math.max(progress.reported.outputTokens, output) };
    return { usage, estimated: usage.outputTokens !== progress.reported.outputTokens };
  }
  // A cut stream, or a call aborted in flight: the provider had the prompt.
  if (progress.yielded || (progress.started && error.code === ErrorCode.aborted)) {
    return {
      usage: { inputTokens: estimate.input, outputTokens: output, cachedInputTokens: 0 },
      estimated: true,
    };
  }
  return { usage: emptyUsage(), estimated: false };
}

// Part counts of a prepared request, computed once however many attempts it makes.
function partsOf(prepared: Prepared): ContentPartCounts {
  prepared.parts ??= countContentParts(prepared.request.messages.map((message) => message.content));
  return prepared.parts;
}

/** The outcome of an attempt that never reached a provider. */
const unserved = (info: MiddlewareAttempt, error: Forge1Error): AttemptOutcome => ({
  ok: false,
  result: undefined,
  error,
  usage: emptyUsage(),
  costMicros: 0,
  finishReason: undefined,
  keyId: info.keyId,
  queueWaitMs: info.queueWaitMs,
  latencyMs: 0,
  estimated: false,
});

/** The attempt engine that chat, stream and judge calls all drive. */
export function createEngine(deps: EngineDeps) {
  const { clock, keys, emit } = deps;

  const release = (run: Run, lease: Lease, outcome: LeaseOutcome) => {
    const report = (error: unknown) => sideError(run, 'release', error);
    try {
      const pending = lease.release(outcome);
      if (pending) pending.catch(report);
    } catch (error) {
      // A pool that fails to release must not turn a served answer into an error.
      report(error);
    }
  };

  const sideError = (run: Run, stage: 'release' | 'meter', thrown: unknown) =>
    emitSideError(emit, run.context, stage, thrown);

  /**
   * The attempt's usage record, to the meter and the `usage` event. Without either there is no
   * one to receive it: none is built (its annotations are taken all the same, as a record would).
   */
  function record(run: Run, attempt: AttemptInfo, prepared: Prepared | undefined, now: number) {
    if (deps.meter === undefined && !emit.wants('usage')) {
      run.middleware?.takeAnnotations();
      return undefined;
    }
    return meterRecord(run, attempt, prepared, now);
  }

  async function meterRecord(run: Run, attempt: AttemptInfo, prepared: Prepared | undefined, now: number) {
    const record = buildUsageRecord(attempt, {
      id: ulid(),
      now,
      context: run.context,
      level: prepared?.decision.level ?? 'simple',
      metadata: prepared?.request.metadata,
      annotations: run.middleware?.takeAnnotations(),
      parts: prepared ? partsOf(prepared) : undefined,
    });
    try {
      await deps.meter?.record(record);
    } catch (error) {
      // The answer was served and the guard settles its cost; the meter's failure is reported.
      sideError(run, 'meter', error);
      return;
    }
    if (emit.wants('usage')) emit('usage', { record });
  }

  /** Leases a key, calls the provider, releases, records: one attempt, never throwing. */
  async function core(
    run: Run,
    plan: AttemptPlan,
    info: MiddlewareAttempt,
    execute: Executor,
    progress: Progress,
    prepared: Prepared | undefined,
  ): Promise<AttemptOutcome> {
    const { ref } = plan;
    const adapter = deps.adapters.get(ref.provider);
    if (!adapter) {
      return unserved(
        info,
        new ConfigurationError(`no adapter for provider "${ref.provider}"`, {
          provider: ref.provider,
          issues: [{ path: `providers.${ref.provider}`, message: 'no adapter for a routed provider' }],
        }),
      );
    }
    const waitStart = clock.now();
    const demand: KeyDemand = {
      provider: ref.provider,
      model: ref.model,
      estTokens: plan.estimate.input + plan.estimate.output,
      tenantId: run.context.tenantId,
      tier: prepared?.policy.tier ?? 'standard',
    };
    if (prepared?.policy.regions) demand.regions = prepared.policy.regions;
    if (run.signal !== undefined) demand.signal = run.signal;
    let lease: Lease;
    try {
      lease = await keys.acquire(demand);
    } catch (error) {
      return unserved(info, toForge1Error(error));
    }
    const started = clock.now();
    info.keyId = lease.keyId;
    info.queueWaitMs = started - waitStart;
    const { context } = run;
    if (emit.wants('attempt.start'))
      emit('attempt.start', {
        requestId: context.requestId,
        tenantId: context.tenantId,
        attempt: info.attempt,
        provider: ref.provider,
        model: ref.model,
        keyId: lease.keyId,
        queueWaitMs: info.queueWaitMs,
        cascaded: plan.cascaded,
        fallback: plan.fallback,
        purpose: plan.purpose,
      });
    let result: ChatResult | undefined;
    let error: Forge1Error | undefined;
    const call: ProviderCall = {
      apiKey: lease.secret,
      keyId: lease.keyId,
      timeoutMs: plan.timeoutMs,
      retryRateLimits: false,
    };
    if (run.signal !== undefined) call.signal = run.signal;
    try {
      progress.started = !run.signal?.aborted;
      result = await execute(adapter, { ...plan.request, model: ref.model }, call, progress);
    } catch (thrown) {
      error = toForge1Error(thrown);
    }
    const ended = clock.now();
    const latencyMs = ended - started;
    const partial = error ? partialUsage(progress, error, plan.estimate) : undefined;
    const usage = result?.usage ?? partial?.usage ?? emptyUsage();
    const rateLimit = result?.rateLimit ?? (ProviderError.is(error) ? error.rateLimit : undefined);
    const outcome: LeaseOutcome = { usage };
    if (error) outcome.error = error;
    if (rateLimit) outcome.rateLimit = rateLimit;
    release(run, lease, outcome);
    const attempt: AttemptInfo = {
      provider: ref.provider,
      model: ref.model,
      attempt: info.attempt,
      keyId: lease.keyId,
      ok: error === undefined,
      usage,
      costMicros: deps.costOf(ref.model, usage, ended),
      latencyMs,
      cascaded: plan.cascaded,
      fallback: plan.fallback,
      queueWaitMs: info.queueWaitMs,
    };
    if (error) attempt.errorCode = error.code;
    if (plan.purpose === 'judge') attempt.purpose = 'judge';
    if (result) attempt.finishReason = result.finishReason;
    if (partial?.estimated) attempt.estimated = true;
    run.attempts.push(attempt);
    if (emit.wants('attempt')) emitAttempt(run, plan, attempt);
    if (consumedTokens(usage)) {
      const recorded = record(run, attempt, prepared, ended);
      if (recorded) await recorded;
    }
    return {
      ok: error === undefined,
      result,
      error,
      usage,
      costMicros: attempt.costMicros,
      finishReason: result?.finishReason,
      keyId: lease.keyId,
      queueWaitMs: info.queueWaitMs,
      latencyMs,
      estimated: attempt.estimated === true,
    };
  }

  // Built field by field, in the order of the event's type: conditional spreads of literals cost
  // more than the rest of the attempt's bookkeeping.
  const emitAttempt = (run: Run, plan: AttemptPlan, attempt: AttemptInfo) => {
    const event: Forge1Events['attempt'] = {
      requestId: run.context.requestId,
      tenantId: run.context.tenantId,
      attempt: attempt.attempt,
      provider: attempt.provider,
      model: attempt.model,
    } as Forge1Events['attempt'];
    if (attempt.keyId !== undefined) event.keyId = attempt.keyId;
    event.ok = attempt.ok;
    if (attempt.errorCode !== undefined) event.errorCode = attempt.errorCode;
    event.latencyMs = attempt.latencyMs;
    event.usage = attempt.usage;
    event.costMicros = attempt.costMicros;
    if (attempt.queueWaitMs !== undefined) event.queueWaitMs = attempt.queueWaitMs;
    event.cascaded = plan.cascaded;
    event.fallback = plan.fallback;
    event.purpose = plan.purpose;
    if (attempt.finishReason) event.finishReason = attempt.finishReason;
    emit('attempt', event);
  };

  /** One attempt, through the middleware's `wrapAttempt` hooks. */
  async function attempt(
    run: Run,
    plan: AttemptPlan,
    execute: Executor,
    prepared: Prepared | undefined,
  ): Promise<AttemptRun> {
    const info: MiddlewareAttempt = {
      provider: plan.ref.provider,
      model: plan.ref.model,
      attempt: run.attempts.length + 1,
      purpose: plan.purpose,
      rung: plan.rung,
      cascaded: plan.cascaded,
      fallback: plan.fallback,
      keyId: undefined,
      queueWaitMs: undefined,
    };
    const progress: Progress = { started: false, yielded: false, chars: 0, reported: undefined };
    const outcome = run.middleware
      ? await run.middleware.wrapAttempt(info, () => core(run, plan, info, execute, progress, prepared))
      : await core(run, plan, info, execute, progress, prepared);
    return { outcome, yielded: progress.yielded };
  }

  /**
   * A rung and then its fallbacks, in order, on errors another provider might not have; for each
   * model, further keys on rate-limit and auth errors. Throws the last error.
   */
  async function serveRung(
    run: Run,
    prepared: Prepared,
    rung: RouteRung,
    index: number,
    execute: Executor,
  ): Promise<{ result: ChatResult; fellBack: boolean; ref: ModelRef }> {
    // The rung, then its fallbacks: position 0 is the rung itself.
    const { fallbacks } = rung;
    for (let position = 0; ; position++) {
      const ref: ModelRef = position === 0 ? rung : fallbacks[position - 1]!;
      const plan: AttemptPlan = {
        ref,
        purpose: 'answer',
        rung: index,
        cascaded: index > 0,
        fallback: position > 0,
        request: prepared.request,
        estimate: prepared.estimate,
        timeoutMs: deps.attemptTimeoutMs,
      };
      let error: Forge1Error;
      for (let keyTry = 1; ; keyTry++) {
        const { outcome, yielded } = await attempt(run, plan, execute, prepared);
        if (outcome.ok && outcome.result) return { result: outcome.result, fellBack: position > 0, ref };
        error = outcome.error ?? new Forge1Error(ErrorCode.internal, 'an attempt ended without an answer');
        if (yielded || run.middleware?.isRefusal(error)) throw error;
        if (keyTry < deps.keyAttempts && keyCodes.has(error.code)) continue;
        break;
      }
      const next = fallbacks[position];
      if (!next || !fallbackCodes.has(error.code) || run.signal?.aborted) throw error;
      emit('fallback', {
        requestId: run.context.requestId,
        tenantId: run.context.tenantId,
        from: { provider: ref.provider, model: ref.model },
        to: { provider: next.provider, model: next.model },
        errorCode: error.code,
      });
    }
  }

  return { attempt, serveRung };
}

/** The attempt engine. */
export type Engine = ReturnType<typeof createEngine>;
