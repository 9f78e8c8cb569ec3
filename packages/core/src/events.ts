import { EventEmitter } from 'eventemitter3';
import type { RateLimitInfo, Usage } from './chat.js';
import type { ComplexityLevel, ModelRef, RouteDecision } from './ports/router.js';
import type { UsageRecord } from './usage-record.js';

/** Every event Forge1 emits, with its payload. Payloads never carry secrets. */
export interface Forge1Events {
  route: { requestId: string; tenantId: string; decision: RouteDecision };
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
  };
  cascade: { requestId: string; tenantId: string; from: ModelRef; to: ModelRef; reasons: string[] };
  fallback: { requestId: string; tenantId: string; from: ModelRef; to: ModelRef; errorCode: string };
  'request.done': {
    requestId: string;
    tenantId: string;
    level: ComplexityLevel;
    provider: string;
    model: string;
    costMicros: number;
    latencyMs: number;
    cascaded: boolean;
    fellBack: boolean;
  };
  'request.error': { requestId: string; tenantId: string; errorCode: string };
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

/** Name of a Forge1 event. */
export type Forge1EventName = keyof Forge1Events;

// A record keyed by every event name: the compiler refuses it if an event is missing.
const eventNameSet: Record<Forge1EventName, true> = {
  route: true,
  attempt: true,
  cascade: true,
  fallback: true,
  'request.done': true,
  'request.error': true,
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

/** Every event name, for subscribing to all of them (exporters, audits). */
export const forge1EventNames = Object.freeze(Object.keys(eventNameSet) as Forge1EventName[]);
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
      const safe = wrapped.get(listener)?.get(event);
      if (safe) emitter.off(event, safe);
    },
    emit(event, payload) {
      emitter.emit(event, payload);
    },
    listenerCount: (event) => emitter.listenerCount(event),
  };
  return bus;
}
