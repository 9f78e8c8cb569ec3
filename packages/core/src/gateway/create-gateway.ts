import { createCatalog } from '../catalog.js';
import { addUsage, type ChatChunk, emptyUsage, totalTokens } from '../chat.js';
import { systemClock } from '../clock.js';
import { runInContext } from '../context.js';
import { ClosedError, type Forge1Error, toForge1Error } from '../errors.js';
import { createEventBus, type RequestMode } from '../events.js';
import { readOptions } from '../guards.js';
import { ulid } from '../ids.js';
import { once, wrapAdapter } from '../plugins.js';
import { estimateTokens } from '../tokens.js';
import { createCascade, type Served } from './cascade.js';
import { createEmbed } from './embed.js';
import { safeEmit } from './emit.js';
import { createEngine } from './engine.js';
import { streamExecutor } from './executors.js';
import { type GatewayChatInput, parseGatewayInput } from './input.js';
import { createPrepare } from './prepare.js';
import { createRun, type Prepared, type Run } from './run.js';
import { createChunkChannel } from './stream-channel.js';
import type { Gateway, GatewayOptions, GatewayResult, GatewayStream } from './types.js';
import { contextOf } from './who.js';
import { checkWiring, createProviderView } from './wiring.js';

type Settled = { result: GatewayResult; error?: undefined } | { result?: undefined; error: unknown };

/**
 * Creates the gateway that ties tenants, router, key pool, adapters, guard, meter and middleware
 * together.
 * @throws ValidationError when a plug-in is not a v1 implementation; ConfigurationError when the
 * wiring is inconsistent (no provider has both an adapter and keys).
 * @example
 * ```ts
 * const gateway = createGateway({ tenants, router, keys, providers: { openai: openaiAdapter }, meter });
 * const answer = await gateway.chat({ tenant: 'acme', user: 'u1', messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export function createGateway(input: GatewayOptions): Gateway {
  const options = readOptions(input, 'createGateway');
  checkWiring(options);
  const clock = options.clock ?? systemClock;
  const events = options.events ?? createEventBus();
  const emit = safeEmit(events);
  const catalog = options.catalog ?? createCatalog();
  const estimator = options.estimateTokens ?? estimateTokens;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
  const { router, keys, meter, guard } = options;
  const middleware = options.middleware ?? [];
  const adapters = new Map(
    Object.entries(options.providers).map(([name, adapter]) => [name, wrapAdapter(adapter)]),
  );
  const usable = createProviderView([...adapters.keys()], keys, clock);
  let closed = false;

  const engine = createEngine({
    clock,
    keys,
    adapters,
    costOf: (model, usage, at) => (catalog.get(model) ? catalog.costOf(model, usage, at) : 0),
    meter,
    emit,
    keyAttempts: options.keyAttempts ?? 3,
    attemptTimeoutMs,
  });
  const prepare = createPrepare({
    tenants: options.tenants,
    router,
    keys,
    guard,
    catalog,
    estimator,
    middleware,
    adapters: new Set(adapters.keys()),
    usable,
    emit,
  });
  const serveChat = createCascade({ router, engine, emit, estimator, attemptTimeoutMs });
  const embedTexts = createEmbed({
    clock,
    tenants: options.tenants,
    catalog,
    guard,
    adapters,
    usable,
    engine,
    settle,
  });
  const embed: Gateway['embed'] = async (input) => {
    if (closed) throw new ClosedError('gateway');
    return embedTexts(input);
  };

  function begin(raw: GatewayChatInput, mode: RequestMode): { input: GatewayChatInput; run: Run } {
    if (closed) throw new ClosedError('gateway');
    const input = parseGatewayInput(raw);
    const context = contextOf(input, clock, 'chat request');
    const run = createRun(mode, context, input.signal);
    if (emit.wants('request.start'))
      emit('request.start', {
        requestId: context.requestId,
        tenantId: context.tenantId,
        mode,
        startedAt: context.startedAt,
      });
    return { input, run };
  }

  const spent = (run: Run) => run.attempts.reduce((sum, a) => sum + a.costMicros, 0);

  /** Settles the guard's grant exactly once, however the request ended. */
  async function settle(run: Run) {
    const grant = run.grant;
    if (!grant || !guard) return;
    run.grant = null;
    const tokens = run.attempts.reduce((sum, a) => sum + totalTokens(a.usage), 0);
    const served = run.attempts.some((a) => a.ok && a.purpose !== 'judge');
    try {
      await guard.settle(grant, { costMicros: spent(run), tokens, served });
    } catch (thrown) {
      const error = toForge1Error(thrown);
      emit('gateway.error', {
        requestId: run.context.requestId,
        tenantId: run.context.tenantId,
        stage: 'guard',
        errorCode: error.code,
        message: error.message,
      });
    }
  }

  function summarise(run: Run, prepared: Prepared, served: Served): GatewayResult {
    const totalUsage = run.attempts.reduce((sum, a) => addUsage(sum, a.usage), emptyUsage());
    return {
      ...served.result,
      requestId: run.context.requestId,
      tenantId: run.context.tenantId,
      level: prepared.decision.level,
      decision: prepared.decision,
      attempts: run.attempts,
      cascaded: served.cascaded,
      fellBack: served.fellBack,
      costMicros: spent(run),
      totalUsage,
    };
  }

  async function failed(run: Run, thrown: unknown): Promise<Forge1Error> {
    const error = toForge1Error(thrown);
    if (run.middleware) await run.middleware.onResult({ ok: false, error }).catch(() => undefined);
    emit('request.error', {
      requestId: run.context.requestId,
      tenantId: run.context.tenantId,
      errorCode: error.code,
      mode: run.mode,
      latencyMs: clock.now() - run.context.startedAt,
      costMicros: spent(run),
    });
    return error;
  }

  /** One request from `prepare` to settlement; `serve` makes the attempts. */
  async function execute(
    run: Run,
    input: GatewayChatInput,
    serve: (run: Run, prepared: Prepared) => Promise<Served>,
  ): Promise<GatewayResult> {
    try {
      const prepared = await prepare(run, input);
      let result = summarise(run, prepared, await serve(run, prepared));
      if (run.middleware) result = (await run.middleware.onResult({ ok: true, result })) ?? result;
      if (emit.wants('request.done'))
        emit('request.done', {
          requestId: run.context.requestId,
          tenantId: run.context.tenantId,
          mode: run.mode,
          tier: prepared.policy.tier,
          level: prepared.decision.level,
          score: prepared.decision.score,
          provider: result.provider,
          model: result.model,
          costMicros: result.costMicros,
          usage: result.totalUsage,
          attempts: run.attempts.length,
          latencyMs: clock.now() - run.context.startedAt,
          cascaded: result.cascaded,
          fellBack: result.fellBack,
          finishReason: result.finishReason,
        });
      return result;
    } catch (error) {
      throw await failed(run, error);
    } finally {
      // Without a grant there is nothing to settle (and no promise to wait for).
      if (run.grant) await settle(run);
    }
  }

  // Not an async function: `execute`'s promise is the caller's, without one more wrapped around it.
  function chat(raw: GatewayChatInput): Promise<GatewayResult> {
    let begun: { input: GatewayChatInput; run: Run };
    try {
      begun = begin(raw, 'chat');
    } catch (error) {
      return Promise.reject(error);
    }
    const { input, run } = begun;
    return runInContext(run.context, () => execute(run, input, serveChat));
  }

  function stream(raw: GatewayChatInput): GatewayStream {
    let settled: Settled | undefined;
    const waiters: Array<() => void> = [];
    const finish = (outcome: Settled) => {
      settled = outcome;
      for (const wake of waiters.splice(0)) wake();
    };
    let withId: GatewayChatInput = raw;
    let requestId = ulid();
    try {
      // A request id the caller gave (even a malformed one) is left for validation to judge.
      if (typeof raw === 'object' && raw !== null) {
        if (raw.requestId === undefined) withId = { ...raw, requestId };
        else if (typeof raw.requestId === 'string') requestId = raw.requestId;
      }
    } catch {
      // A throwing getter: validation reports it when the stream is read.
    }

    async function* iterate(): AsyncGenerator<ChatChunk> {
      let begun: { input: GatewayChatInput; run: Run };
      try {
        begun = begin(withId, 'stream');
      } catch (error) {
        finish({ error });
        throw error;
      }
      const { input, run } = begun;
      const channel = createChunkChannel();
      const serve = (current: Run, prepared: Prepared) => serveStream(current, prepared, channel);
      const done = runInContext(run.context, () => execute(run, input, serve));
      const outcome = done.then(
        (result): Settled => ({ result }),
        (error: unknown): Settled => ({ error }),
      );
      void outcome.then(() => channel.end());
      let ended: Settled | undefined;
      try {
        for (let chunk = await channel.pull(); chunk !== undefined; chunk = await channel.pull()) yield chunk;
        ended = await outcome;
      } finally {
        // The reader stopped early (break, return, throw): the attempt ends and is metered first.
        if (!ended) channel.stop();
        finish(ended ?? (await outcome));
      }
      if (ended?.error !== undefined) throw ended.error;
    }

    return {
      requestId,
      [Symbol.asyncIterator]: () => iterate(),
      final: () =>
        new Promise<GatewayResult>((resolve, reject) => {
          const deliver = () => (settled?.result ? resolve(settled.result) : reject(settled?.error));
          if (settled) deliver();
          else waiters.push(deliver);
        }),
    };
  }

  async function serveStream(
    run: Run,
    prepared: Prepared,
    channel: ReturnType<typeof createChunkChannel>,
  ): Promise<Served> {
    const { decision } = prepared;
    const rung = { provider: decision.provider, model: decision.model, fallbacks: decision.fallbacks };
    const served = await engine.serveRung(run, prepared, rung, 0, streamExecutor(run, channel, clock));
    return { result: served.result, cascaded: false, fellBack: served.fellBack };
  }

  const close = once(async () => {
    closed = true;
    await meter?.close();
    await Promise.all([...adapters.values()].map((adapter) => adapter.close?.()));
    await keys.close?.();
  });

  return { chat, stream, embed, events, catalog, close };
}
