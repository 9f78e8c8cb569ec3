// Examples of docs/concepts/key-pools.md and docs/guides/keypool.md. Typechecked, not run.
import { createEventBus, type Secret } from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';

declare const vault: { read(path: string): Promise<string> };
declare const callOpenAI: (
  apiKey: Secret,
) => Promise<{ usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number } }>;

const events = createEventBus();
const pool = createKeyPool({
  events,
  keys: [
    // Two keys of one OpenAI organisation: their own limits, and the organisation's joint limit.
    {
      id: 'openai-a',
      provider: 'openai',
      secret: () => vault.read('openai/a'),
      rpm: 500,
      tpm: 200_000,
      group: 'org-main',
    },
    {
      id: 'openai-b',
      provider: 'openai',
      secret: () => vault.read('openai/b'),
      rpm: 500,
      tpm: 200_000,
      group: 'org-main',
    },
    // Only Acme's requests use this key, and they use it first.
    {
      id: 'openai-acme',
      provider: 'openai',
      secret: () => vault.read('openai/acme'),
      rpm: 1_000,
      tpm: 400_000,
      dedicatedTo: ['acme'],
    },
    // Used only when no active key can take the request.
    {
      id: 'openai-spare',
      provider: 'openai',
      secret: () => vault.read('openai/spare'),
      rpm: 200,
      tpm: 100_000,
      role: 'backup',
    },
    // A key that serves two models only, at most 8 calls at once, 10 000 requests a day.
    {
      id: 'anthropic-1',
      provider: 'anthropic',
      secret: () => vault.read('anthropic/1'),
      rpm: 50,
      tpm: 80_000,
      rpd: 10_000,
      maxConcurrent: 8,
      models: ['claude-haiku-4-5', 'claude-sonnet-4-6'],
    },
    // A provider outside the built-in catalog must be declared in `providers`.
    { id: 'mistral-1', provider: 'mistral', secret: () => vault.read('mistral/1'), rpm: 60, tpm: 500_000 },
  ],
  providers: ['mistral'],
  groups: { 'org-main': { rpm: 800, tpm: 300_000 } },
  tiers: { standard: { reservedShare: 0.05 }, professional: { priority: 60 } },
  maxWaitMs: 10_000,
  agingPerSecond: 2,
  activityWindowMs: 60_000,
  cooldown: { baseMs: 1_000, maxMs: 60_000 },
  signals: { windowMs: 60_000, saturatedAbove: 0.85, underusedBelow: 0.2 },
});
await pool.ready(); // every secret resolver has answered (a failing one disables its key)

// --- what the gateway does for each attempt
const lease = await pool.acquire({
  provider: 'openai',
  model: 'gpt-4o-mini',
  estTokens: 900,
  tenantId: 'acme',
  tier: 'enterprise',
});
try {
  const result = await callOpenAI(lease.secret);
  lease.release({ usage: result.usage });
} catch (error) {
  lease.release({ error }); // a RateLimitedError cools the key down, a ProviderAuthError disables it
  throw error;
}

// --- operations
await pool.add({
  id: 'openai-c',
  provider: 'openai',
  secret: () => vault.read('openai/c'),
  rpm: 500,
  tpm: 200_000,
});
await pool.rotate('openai-b', () => vault.read('openai/b-2026-03')); // calls in flight keep the old secret
await pool.retire('openai-a'); // resolves once its calls in flight are released
await pool.enable('openai-spare'); // after an auth error was fixed upstream

// --- utilisation and health
for (const key of pool.stats().keys) {
  console.log(key.keyId, key.state, key.role, key.utilisation, key.inFlight, key.rateLimited, key.limits);
}
for (const provider of pool.stats().providers) {
  console.log(
    provider.provider,
    provider.utilisation,
    provider.queueDepth,
    provider.waits.p95,
    provider.cooling,
  );
}
events.on('pool.saturated', ({ provider, utilisation }) =>
  console.warn(`${provider} at ${Math.round(utilisation * 100)}%: add keys`),
);
events.on('key.disabled', ({ keyId, reason }) =>
  console.error(`key ${keyId} disabled (${reason}): rotate it`),
);
events.on('key.learned', ({ keyId, rateLimit }) =>
  console.warn(`key ${keyId} has lower limits than configured`, rateLimit),
);

await pool.close();
