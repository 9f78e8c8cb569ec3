import {
  assertSpecificationV1,
  type ChatChunk,
  type ChatResult,
  type EmbedResult,
  type ProviderAdapterV1,
  type ProviderCall,
  type ProviderEmbedRequest,
  readUntrusted,
  systemClock,
  ValidationError,
} from '@forge1/core';
import { callRefusal } from '../provider-utils/call-input.js';
import { type BreakerRegistry, type CircuitSnapshot, createBreakerRegistry } from './breaker.js';
import { type ResilienceOptions, resolveResilienceOptions } from './resilience-options.js';
import { withRetries } from './retry.js';

/** An adapter with retries and circuit breakers, exposing the circuits' states. */
export interface ResilientAdapter extends ProviderAdapterV1 {
  /** State and rolling figures of every circuit created so far. */
  circuits(): CircuitSnapshot[];
  /** Shuts the breakers down, then closes the wrapped adapter. */
  close(): Promise<void>;
}

/**
 * Wraps an adapter with retries (p-retry: full-jitter exponential backoff, `retryAfterMs`
 * honoured, only `retryable` errors, never after an abort, rate limits not retried when
 * `call.retryRateLimits === false`) and circuit breaking (opossum: one breaker per provider
 * and model; 4xx other than 429 never trip it; while open, calls fail fast with
 * `CircuitOpenError` without reaching the adapter). A stream is retried only until its first
 * chunk arrives (a `usage` chunk too: the provider has billed the prompt by then).
 *
 * @example
 * ```ts
 * const resilient = withResilience(openai(), {
 *   retry: { retries: 2 },
 *   breaker: { volumeThreshold: 10, resetTimeoutMs: 30_000 },
 *   events: gateway.events,
 * });
 * ```
 * @throws ValidationError when an option is invalid.
 */
export function withResilience(adapter: ProviderAdapterV1, input: ResilienceOptions = {}): ResilientAdapter {
  assertSpecificationV1('provider adapter', adapter);
  let provider: unknown;
  try {
    provider = adapter.provider;
  } catch {
    provider = undefined;
  }
  if (typeof provider !== 'string' || provider === '') {
    throw new ValidationError('provider adapter', [
      { path: 'provider', message: 'expected a provider name' },
    ]);
  }
  // Read once: the options used below are the ones that were validated.
  const options = readUntrusted(input ?? {}, 'withResilience options');
  const { retry, breaker } = resolveResilienceOptions(options);
  const timing = { clock: options.clock ?? systemClock, random: options.random ?? Math.random };
  const breakers: BreakerRegistry | undefined = breaker
    ? createBreakerRegistry(breaker, options.events)
    : undefined;

  const guarded = <T>(request: { model: string }, action: () => Promise<T>) =>
    breakers ? breakers.run(provider, request.model, action) : action();
  const retried = <T>(call: ProviderCall, attempt: () => Promise<T>) =>
    retry ? withRetries(attempt, call, retry, timing) : attempt();

  return {
    specificationVersion: 'v1',
    provider,

    chat(request, call): Promise<ChatResult> {
      const refused = callRefusal(request, call, 'resilientAdapter.chat');
      if (refused) return Promise.reject(refused);
      return retried(call, () => guarded(request, () => adapter.chat(request, call)));
    },

    async *stream(request, call): AsyncIterable<ChatChunk> {
      const refused = callRefusal(request, call, 'resilientAdapter.stream');
      if (refused) throw refused;
      const opened = await retried(call, () =>
        guarded(request, async () => {
          const iterator = adapter.stream(request, call)[Symbol.asyncIterator]();
          const first = await iterator.next();
          return { iterator, first };
        }),
      );
      const { iterator } = opened;
      let done = opened.first.done === true;
      try {
        if (!done) yield opened.first.value;
        while (!done) {
          const next = await iterator.next();
          done = next.done === true;
          if (!done) yield next.value;
        }
      } finally {
        if (!done) await iterator.return?.();
      }
    },

    // Embeddings get the same retries and breakers as chat, when the adapter can embed at all.
    ...(adapter.embed
      ? {
          embed(request: ProviderEmbedRequest, call: ProviderCall): Promise<EmbedResult> {
            const refused = callRefusal(request, call, 'resilientAdapter.embed');
            if (refused) return Promise.reject(refused);
            return retried(call, () => guarded(request, () => adapter.embed!(request, call)));
          },
        }
      : {}),

    circuits: () => breakers?.snapshot() ?? [],

    async close() {
      breakers?.shutdown();
      await adapter.close?.();
    },
  };
}
