// Examples of docs/guides/adapters.md. Typechecked, not run.
import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai, openaiCompatible } from '@forge1/adapters/openai';
import { createEventBus, Forge1Error, type ProviderAdapterV1, Secret } from '@forge1/core';
import OpenAI from 'openai';

const events = createEventBus();

// --- the three providers, each behind retries and circuit breakers
const providers: Record<string, ProviderAdapterV1> = {
  openai: withResilience(openai(), { events }),
  anthropic: withResilience(anthropic({ defaultMaxTokens: 2048 }), { events }),
  google: withResilience(google(), { events }),
};

// --- any OpenAI-compatible API (DeepSeek, Qwen, vLLM, Ollama) under its own provider name
providers.deepseek = withResilience(
  openaiCompatible({ name: 'deepseek', baseURL: 'https://api.deepseek.com/v1' }),
  { events },
);
providers.vllm = withResilience(openaiCompatible({ name: 'vllm', baseURL: 'http://127.0.0.1:8000/v1' }), {
  events,
});

// --- a host-built SDK client (proxy, custom fetch): one client per key, built by you
const viaProxy = openai({
  createClient: (apiKey) => new OpenAI({ apiKey, baseURL: 'https://llm-proxy.internal/v1', maxRetries: 0 }),
});

// --- tuning retries and breakers
const tuned = withResilience(anthropic(), {
  events,
  retry: { retries: 1, minDelayMs: 250, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
  breaker: {
    errorThresholdPercentage: 50,
    volumeThreshold: 20,
    rollingWindowMs: 30_000,
    resetTimeoutMs: 15_000,
  },
});
for (const circuit of tuned.circuits())
  console.log(circuit.provider, circuit.model, circuit.state, circuit.failures, circuit.rejected);

// --- calling an adapter directly (the gateway normally does this)
try {
  const result = await viaProxy.chat(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], maxTokens: 100 },
    { apiKey: new Secret(process.env.OPENAI_API_KEY ?? 'sk-test'), keyId: 'openai-1', timeoutMs: 30_000 },
  );
  console.log(result.text, result.usage, result.rateLimit?.remainingTokens);
} catch (error) {
  if (Forge1Error.is(error, 'provider_rate_limited')) console.log('retry after', error.retryAfterMs);
  else throw error;
}

// --- the emulator, with an outage of one model
const emulator = await startProviderEmulator({
  keys: { 'sk-a': { rpm: 60, tpm: 40_000 } },
  revokedKeys: ['sk-revoked'],
  latencyMs: 20,
  seed: 42,
});
emulator.setFaults([
  { match: { provider: 'anthropic', model: 'claude-haiku-4-5' }, rate: 0.3, kind: 'status', status: 503 },
  {
    match: { provider: 'openai' },
    requests: { from: 10, to: 20 },
    kind: 'status',
    status: 429,
    retryAfterSeconds: 2,
  },
]);
const local = withResilience(openai({ baseURL: emulator.urls.openai }), { events });
await local.chat(
  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
  { apiKey: new Secret('sk-a') },
);
console.log(emulator.counters.forKey('sk-a'), emulator.counters.forModel('gpt-4o-mini'));
await emulator.close();
