import {
  AbortedError,
  type ChatChunk,
  type ChatResult,
  createCatalog,
  estimateCharTokens,
  type ProviderAdapterV1,
  ProviderAuthError,
  type ProviderCall,
  type ProviderChatRequest,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
} from '@forge1/core';

/** Share of provider calls that fail, by kind (each a probability per call). */
export interface FaultRates {
  serverError: number;
  rateLimited: number;
  timeout: number;
}

/** The chaos run's faults of the moment, shared by every in-process provider. */
export interface FaultState {
  rates: FaultRates;
  /** Providers answering 503 to everything. */
  down: Set<string>;
  /** Key secrets answered with 401. */
  revoked: Set<string>;
  /** How long a rate-limited key should wait, in ms (the provider's retry-after). */
  retryAfterMs: number;
}

/** Calls an in-process provider received, by outcome. */
export interface FaultCounters {
  calls: number;
  ok: number;
  serverErrors: number;
  rateLimited: number;
  timeouts: number;
  down: number;
  unauthorised: number;
}

/** An in-process provider with injected faults, plus its counters. */
export interface FaultyAdapter extends ProviderAdapterV1 {
  readonly counters: FaultCounters;
}

const catalog = createCatalog();
const lastUser = (request: ProviderChatRequest) =>
  [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';

/** Waits for the call's timeout (or its abort), as a provider that never answers would make it. */
function hang(call: ProviderCall, provider: string, model: string): Promise<never> {
  return new Promise((_, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      call.signal?.removeEventListener('abort', onAbort);
      reject(new ProviderTimeoutError(`${provider} did not answer in time`, { provider, model }));
    }, call.timeoutMs ?? 60_000);
    call.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A `ProviderAdapterV1` that answers at once in process, failing with the faults of `state`
 * drawn from `random`: 500s, 429s (with `retryAfterMs`), timeouts (it waits for the call's
 * `timeoutMs`), 503s while its provider is down, and 401s for revoked keys. Small models hedge
 * on long prompts, so the router's judge sometimes cascades.
 */
export function createFaultyAdapter(
  provider: string,
  state: FaultState,
  random: () => number,
): FaultyAdapter {
  const counters: FaultCounters = {
    calls: 0,
    ok: 0,
    serverErrors: 0,
    rateLimited: 0,
    timeouts: 0,
    down: 0,
    unauthorised: 0,
  };

  async function answer(request: ProviderChatRequest, call: ProviderCall): Promise<ChatResult> {
    counters.calls++;
    const { model } = request;
    if (call.signal?.aborted) throw new AbortedError();
    const keyId = call.keyId;
    if (state.revoked.has(call.apiKey.reveal())) {
      counters.unauthorised++;
      throw new ProviderAuthError('Invalid API key', { provider, model, status: 401, keyId });
    }
    if (state.down.has(provider)) {
      counters.down++;
      throw new ProviderUnavailableError(`${provider} is down`, { provider, model, status: 503 });
    }
    const draw = random();
    const { timeout, serverError, rateLimited } = state.rates;
    if (draw < timeout) {
      counters.timeouts++;
      return hang(call, provider, model);
    }
    if (draw < timeout + serverError) {
      counters.serverErrors++;
      throw new ProviderUnavailableError('Internal server error', { provider, model, status: 500 });
    }
    if (draw < timeout + serverError + rateLimited) {
      counters.rateLimited++;
      throw new RateLimitedError('Rate limit reached', {
        provider,
        model,
        status: 429,
        kind: 'requests',
        retryAfterMs: state.retryAfterMs,
        keyId,
      });
    }
    const prompt = lastUser(request);
    const hedges = catalog.get(model)?.tier === 'small' && prompt.length > 120;
    const text = hedges
      ? "I'm not sure, but it might be a configuration issue?"
      : `Here is a complete answer about ${prompt.slice(0, 40)}: check the settings, apply the fix, then verify the result.`;
    counters.ok++;
    return {
      text,
      toolCalls: [],
      finishReason: 'stop',
      usage: {
        inputTokens: estimateCharTokens(prompt.length) + 4,
        outputTokens: estimateCharTokens(text.length),
        cachedInputTokens: 0,
      },
      provider,
      model,
      latencyMs: 0,
    };
  }

  return {
    specificationVersion: 'v1',
    provider,
    counters,
    chat: answer,
    async *stream(request, call): AsyncIterable<ChatChunk> {
      const result = await answer(request, call);
      yield { type: 'text-delta', text: result.text };
      yield {
        type: 'finish',
        finishReason: result.finishReason,
        usage: result.usage,
        provider,
        model: result.model,
      };
    },
  };
}
