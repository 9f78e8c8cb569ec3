import { startProviderEmulator } from '@forge1/adapters/emulator';
import { AbortedError, type Lease, type RateLimitInfo } from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { describe, expect, it } from 'vitest';

// Real time, scaled down: each key allows 20 requests per 2 s window on the emulator. The pool is
// told the same limits over a window 5 % longer, a margin for the time between the lease and the
// request reaching the emulator (at this scale 100 ms, enough for a loaded 2-core machine).
const WINDOW_MS = 2_000;
const RPM = 20;
const DURATION_MS = 10_000;

describe('key pool in front of the provider emulator', () => {
  // Real time on a shared 2-core machine: a run starved of CPU by other suites is tried again.
  it('sends no request over the limits and keeps at least 95 % of the keys busy', {
    timeout: 25_000,
    retry: 2,
  }, async () => {
    const secrets = [
      'sk-e2e-pool-one-0123456789',
      'sk-e2e-pool-two-0123456789',
      'sk-e2e-pool-three-0123456789',
    ];
    const emulator = await startProviderEmulator({
      keys: Object.fromEntries(secrets.map((secret) => [secret, { rpm: RPM, tpm: 1_000_000 }])),
      windowMs: WINDOW_MS,
    });
    const pool = createKeyPool({
      keys: secrets.map((secret, index) => ({
        id: `key-${index}`,
        provider: 'openai',
        secret,
        rpm: RPM,
        tpm: 1_000_000,
        windowMs: WINDOW_MS * 1.05,
      })),
      maxWaitMs: 60_000,
      signals: false,
    });
    // Warm the HTTP client up on a key without limits, so that connection set-up does not delay
    // the first window's requests past the margin.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${emulator.urls.openai}/chat/completions`, {
          method: 'POST',
          headers: {
            authorization: 'Bearer sk-e2e-warm-up-0123456789',
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'Hi.' }],
            max_tokens: 4,
          }),
        }).then((response) => response.arrayBuffer()),
      ),
    );
    emulator.counters.reset();
    const controller = new AbortController();
    const start = performance.now();
    let served = 0;
    let failed = 0;

    const call = async (lease: Lease) => {
      const response = await fetch(`${emulator.urls.openai}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lease.secret.reveal()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Say hi.' }],
          max_tokens: 16,
        }),
      });
      const body = (await response.json()) as {
        usage?: { prompt_tokens: number; completion_tokens: number };
      };
      if (response.status !== 200 || !body.usage) throw new Error(`emulator answered ${response.status}`);
      // What the provider says remains, as an adapter reports it: the pool counts any shortfall as used.
      const remaining = response.headers.get('x-ratelimit-remaining-requests');
      const rateLimit: RateLimitInfo = remaining === null ? {} : { remainingRequests: Number(remaining) };
      const usage = {
        inputTokens: body.usage.prompt_tokens,
        outputTokens: body.usage.completion_tokens,
        cachedInputTokens: 0,
      };
      return { usage, rateLimit };
    };

    const request = async () => {
      let lease: Lease;
      try {
        lease = await pool.acquire({
          provider: 'openai',
          model: 'gpt-4o-mini',
          estTokens: 64,
          tenantId: 'e2e',
          tier: 'standard',
          signal: controller.signal,
        });
      } catch (error) {
        expect(error).toBeInstanceOf(AbortedError);
        return;
      }
      const leasedAt = performance.now() - start;
      try {
        lease.release(await call(lease));
        if (leasedAt < DURATION_MS) served++;
      } catch (error) {
        lease.release({ error });
        failed++;
      }
    };

    // Twice what the keys can take in the run, all offered at once.
    const tasks = Array.from({ length: 2 * ((secrets.length * RPM * DURATION_MS) / WINDOW_MS) }, request);
    await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
    controller.abort();
    await Promise.all(tasks);
    await pool.close();
    const total = emulator.counters.total();
    await emulator.close();

    const capacity = (secrets.length * RPM * DURATION_MS) / WINDOW_MS;
    expect(failed).toBe(0);
    expect(total.rateLimited).toBe(0);
    expect(served / capacity).toBeGreaterThanOrEqual(0.95);
  });
});
