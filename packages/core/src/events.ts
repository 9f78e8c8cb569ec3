import { EventEmitter } from 'eventemitter3';
import type { FinishReason, RateLimitInfo, Usage } from './chat.js';
import { expectFunction, expectString } from './guards.js';
import type { ComplexityLevel, ModelRef, RouteDecision } from './ports/router.js';
import type { Tier } from './tenancy.js';
import type { UsageRecord } from './usage-record.js';

/** How a gateway request is served: answered whole, or streamed. */
export type RequestMode = 'chat' | 'stream';

/** Why a provider attempt was made: to answer the request, or as a judge call of the router. */
export type AttemptPurpose = 'answer' | 'judge';

/** A failure beside a request (metering, guard, router feedback or judge, lease release) that did not fail it. */
export type SideStage = 'meter' | 'guard' | 'feedback' | 'judge' | 'release';

/** Every event core emits, with its payload. Payloads never carry secrets. */
export interface Forge1CoreEvents {
  /** A request passed validation and has a context; `mode` says chat or stream. */
  'request.start': { requestId: string; tenantId: string; mode: RequestMode; startedAt: number };
  route: { requestId: string; tenantId: string; decision: RouteDecision };
  /** A provider attempt is about to call the provider: it holds a key lease. */
  'attempt.start': {
    requestId: string;
    tenantId: string;
    attempt: number;
    provider: string;
    model: string;
    keyId: string;
    /** Milliseconds the attempt waited for its key lease. */
    queueWaitMs: number;
    cascaded: boolean;
    fallback: boolean;
    purpose: AttemptPurpose;
  };
  /** A provider attempt ended (served, failed, aborted). */
  attempt: {
    requestId: string;
    tenantId: string;
    attempt: number;
    provider: string;
    model: string;
    keyId?: string;
    ok: boolean;
    errorCode?: string;
    latencyMs: number;
    usage?: Usage;
    costMicros?: number;
    queueWaitMs?: number;
    cascaded?: boolean;
    fallback?: boolean;
    purpose?: AttemptPurpose;
    finishReason?: FinishReason;
  };
  cascade: { requestId: string; tenantId: string; from: ModelRef; to: ModelRef; reasons: string[] };
  fallback: { requestId: string; tenantId: string; from: ModelRef; to: ModelRef; errorCode: string };
  'request.done': {
    requestId: string;
    tenantId: string;
    mode?: RequestMode;
    tier?: Tier;
    level: ComplexityLevel;
    score?: number;
    provider: string;
    model: string;
    costMicros: number;
    /** Usage of every attempt of the request. */
    usage?: Usage;
    attempts?: number;
    latencyMs: number;
    cascaded: boolean;
    fellBack: boolean;
    finishReason?: FinishReason;
  };
  'request.error': {
    requestId: string;
    tenantId: string;
    errorCode: string;
    mode?: RequestMode;
    latencyMs?: number;
    /** Cost of the attempts made before the failure, in micro-dollars. */
    costMicros?: number;
  };
  /** A middleware hook refused the request (or failed); `errorCode` is what the caller receives. */
  'middleware.refused': {
    requestId: string;
    tenantId: string;
    middleware: string;
    hook: MiddlewareHook;
    errorCode: string;
  };
  /** A middleware's `transformRequest` returned a changed request. */
  'middleware.transformed': { requestId: string; tenantId: string; middleware: string };
  /** Something beside the request failed and the request went on (the stage says what). */
  'gateway.error': {
    requestId: string;
    tenantId: string;
    stage: SideStage;
    errorCode: string;
    message: string;
  };
  'key.cooldown': { keyId: string; provider: string; untilMs: number; reason: string };
  'key.disabled': { keyId: string; provider: string; reason: string };
  'key.enabled': { keyId: string; provider: string };
  'key.learned': { keyId: string; provider: string; rateLimit: RateLimitInfo };
  'circuit.open': { provider: string; model: string };
  'circuit.halfOpen': { provider: string; model: string };
  'circuit.close': { provider: string; model: string };
  usage: { record: UsageRecord };
  'budget.alert': {
    tenantId: string;
    period: string;
    threshold: number;
    spentMicros: number;
    budgetMicros: number;
  };
  'pool.saturated': { provider: string; utilisation: number; windowMs: number };
  'pool.underused': { provider: string; utilisation: number; windowMs: number };
  'sink.error': { sink: string; errorCode: string; message: string; attempt: number };
  /** A key pool's state store failed an operation that the pool carried on without (settle, cooldown, flag). */
  'store.error': { store: string; operation: string; keyId?: string; errorCode: string; message: string };
  /** A listener threw; the request it observed went on. */
  'listener.error': { event: string; error: unknown };
}

/** The middleware hooks, by name, as events report them. */
export type MiddlewareHook = 'transformRequest' | 'wrapAttempt' | 'transformChunk' | 'flush' | 'onResult';

/**
 * The open event registry: core's events plus any a package adds by declaration merging.
 * @example
 * ```ts
 * declare module '@forge1/core' {
 *   interface Forge1Events {
 *     'compliance.redacted': { requestId: string; count: number };
 *   }
 * }
 * ```
 */
export interface Forge1Events extends Forge1CoreEvents {}

/** Name of a Forge1 event (core's or a plug-in's). */
export type Forge1EventName = keyof Forge1Events;

// A record keyed by every core event name: the compiler refuses it if an event is missing.
const eventNameSet: Record<keyof Forge1CoreEvents, true> = {
  'request.start': true,
  route: true,
  'attempt.start': true,
  attempt: true,
  cascade: true,
  fallback: true,
  'request.done': true,
  'request.error': true,
  'middleware.refused': true,
  'middleware.transformed': true,
  'gateway.error': true,
  'key.cooldown': true,
  'key.disabled': true,
  'key.enabled': true,
  'key.learned': true,
  'circuit.open': true,
  'circuit.halfOpen': true,
  'circuit.close': true,
  usage: true,
  'budget.alert': true,
  'pool.saturated': true,
  'pool.underused': true,
  'sink.error': true,
  'store.error': true,
  'listener.error': true,
};

/** Every event name core emits, for subscribing to all of them (exporters, audits). Plug-ins list their own. */
export const forge1EventNames = Object.freeze(Object.keys(eventNameSet) as Array<keyof Forge1CoreEvents>);
/** A listener of one event. */
export type Forge1Listener<E extends Forge1EventName> = (payload: Forge1Events[E]) => void;

/**
 * A typed event bus. A listener that throws (or returns a rejected promise) never breaks
 * the emitter: the error is reported as `listener.error` and the other listeners still run.
 */
export interface EventBus {
  /** Subscribes; returns a function that unsubscribes. */
  on<E extends Forge1EventName>(event: E, listener: Forge1Listener<E>): () => void;
  /** Subscribes for the next event only; returns a function that unsubscribes. */
  once<E extends Forge1EventName>(event: E, listener: Forge1Listener<E>): () => void;
  /** Unsubscribes a listener given to `on`. */
  off<E extends Forge1EventName>(event: E, listener: Forge1Listener<E>): void;
  /** Calls every listener of the event; never throws. */
  emit<E extends Forge1EventName>(event: E, payload: Forge1Events[E]): void;
  /** Number of listeners of the event. */
  listenerCount(event: Forge1EventName): number;
}

/** Event names are strings; anything else would make eventemitter3 throw a TypeError. */
function checkEvent(event: unknown, method: string): void {
  if (typeof event !== 'string') expectString(event, `events.${method}`, 'event');
}

/**
 * Creates an {@link EventBus} on eventemitter3.
 * @example
 * ```ts
 * const events = createEventBus();
 * events.on('key.cooldown', ({ keyId, untilMs }) => log.warn({ keyId, untilMs }));
 * ```
 */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  const wrapped = new WeakMap<(...args: never[]) => void, Map<string, (payload: unknown) => void>>();

  const guard = (event: string, listener: (payload: never) => void) => {
    checkEvent(event, 'on');
    expectFunction(listener, 'events.on', 'listener');
    let byEvent = wrapped.get(listener);
    if (!byEvent) {
      byEvent = new Map();
      wrapped.set(listener, byEvent);
    }
    let safe = byEvent.get(event);
    if (!safe) {
      safe = (payload: unknown) => {
        try {
          const returned = (listener as (payload: unknown) => unknown)(payload);
          if (returned instanceof Promise)
            returned.catch((error: unknown) => reportListenerError(event, error));
        } catch (error) {
          reportListenerError(event, error);
        }
      };
      byEvent.set(event, safe);
    }
    return safe;
  };

  const reportListenerError = (event: string, error: unknown) => {
    if (event === 'listener.error') return;
    try {
      emitter.emit('listener.error', { event, error });
    } catch {
      // A failing error listener has nowhere left to report to.
    }
  };

  const bus: EventBus = {
    on(event, listener) {
      emitter.on(event, guard(event, listener));
      return () => bus.off(event, listener);
    },
    once(event, listener) {
      const safe = guard(event, listener);
      emitter.once(event, safe);
      return () => emitter.off(event, safe);
    },
    off(event, listener) {
      checkEvent(event, 'off');
      if (typeof listener !== 'function') return;
      const safe = wrapped.get(listener)?.get(event);
      if (safe) emitter.off(event, safe);
    },
    emit(event, payload) {
      checkEvent(event, 'emit');
      emitter.emit(event, payload);
    },
    listenerCount: (event) => {
      checkEvent(event, 'listenerCount');
      return emitter.listenerCount(event);
    },
  };
  return bus;
}
