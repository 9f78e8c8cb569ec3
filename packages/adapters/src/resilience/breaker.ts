import { CircuitOpenError, ErrorCode, type EventBus, Forge1Error } from '@forge1/core';
import CircuitBreaker from 'opossum';
import type { ResolvedBreaker } from './resilience-options.js';

/** State of one circuit. */
export type CircuitState = 'closed' | 'open' | 'halfOpen';

/** One circuit's state and rolling-window figures, for stats. */
export interface CircuitSnapshot {
  provider: string;
  model: string;
  state: CircuitState;
  /** Calls in the rolling window. */
  calls: number;
  failures: number;
  successes: number;
  /** Calls refused while open. */
  rejected: number;
}

// Errors that say nothing about the provider's health: the caller's abort, and 4xx other
// than 429 (a bad request, a refused key, a too-long prompt, a filtered answer).
const NOT_A_FAILURE = new Set<string>([
  ErrorCode.aborted,
  ErrorCode.auth,
  ErrorCode.badRequest,
  ErrorCode.contextLength,
  ErrorCode.contentPolicy,
  ErrorCode.validation,
]);

/** Whether an error counts against the circuit. */
export function tripsBreaker(error: unknown): boolean {
  if (!Forge1Error.is(error)) return true;
  if (NOT_A_FAILURE.has(error.code)) return false;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429 && status !== 408)
    return false;
  return true;
}

/** One opossum breaker per provider and model. */
export interface BreakerRegistry {
  run<T>(provider: string, model: string, action: () => Promise<T>): Promise<T>;
  snapshot(): CircuitSnapshot[];
  shutdown(): void;
}

type Runner = (action: () => Promise<unknown>) => Promise<unknown>;

interface Entry {
  provider: string;
  model: string;
  breaker: CircuitBreaker<Parameters<Runner>, unknown>;
  openedAt: number;
}

/** Creates the breakers lazily, one per provider and model, wired to the event bus. */
export function createBreakerRegistry(
  settings: ResolvedBreaker,
  events: EventBus | undefined,
): BreakerRegistry {
  // By provider, then model: no key string to build on every call.
  const entries = new Map<string, Map<string, Entry>>();

  const entryFor = (provider: string, model: string): Entry => {
    let byModel = entries.get(provider);
    if (!byModel) {
      byModel = new Map();
      entries.set(provider, byModel);
    }
    const entry = byModel.get(model);
    if (entry) return entry;
    const runner: Runner = (action) => action();
    const breaker = new CircuitBreaker(runner, {
      name: `${provider}/${model}`,
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: settings.rollingBuckets,
      resetTimeout: settings.resetTimeoutMs,
      enableSnapshots: false,
      errorFilter: (error: unknown) => !tripsBreaker(error),
    });
    const created: Entry = { provider, model, breaker, openedAt: 0 };
    breaker.on('open', () => {
      // opossum times the reset with the global timers and Date; the same timebase here.
      created.openedAt = Date.now();
      events?.emit('circuit.open', { provider, model });
    });
    breaker.on('halfOpen', () => events?.emit('circuit.halfOpen', { provider, model }));
    breaker.on('close', () => events?.emit('circuit.close', { provider, model }));
    byModel.set(model, created);
    return created;
  };

  return {
    async run<T>(provider: string, model: string, action: () => Promise<T>): Promise<T> {
      const entry = entryFor(provider, model);
      try {
        return (await entry.breaker.fire(action)) as T;
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === 'EOPENBREAKER' && !Forge1Error.is(error)) {
          const retryAfterMs = Math.max(0, entry.openedAt + settings.resetTimeoutMs - Date.now());
          throw new CircuitOpenError(`Circuit for ${provider}/${model} is open`, {
            provider,
            model,
            retryAfterMs,
            cause: error,
          });
        }
        throw error;
      }
    },
    snapshot() {
      return [...entries.values()]
        .flatMap((byModel) => [...byModel.values()])
        .map(({ provider, model, breaker }) => {
          const stats = breaker.stats;
          return {
            provider,
            model,
            state: breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed',
            calls: stats.fires,
            failures: stats.failures,
            successes: stats.successes,
            rejected: stats.rejects,
          };
        });
    },
    shutdown() {
      for (const byModel of entries.values()) for (const { breaker } of byModel.values()) breaker.shutdown();
      entries.clear();
    },
  };
}
