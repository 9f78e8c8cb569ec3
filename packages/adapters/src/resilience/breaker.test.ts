import {
  CircuitOpenError,
  createEventBus,
  ProviderBadRequestError,
  ProviderUnavailableError,
  RateLimitedError,
  Secret,
} from '@forge1/core';
import { createScriptedAdapter } from '@forge1/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tripsBreaker } from './breaker.js';
import { withResilience } from './with-resilience.js';

const call = { apiKey: new Secret('sk-test-key-0000000000'), keyId: 'k1' };
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'hi' }] });

describe('circuit breaker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after the volume of failures, fails fast, and closes after a successful half-open probe', async () => {
    let healthy = false;
    const adapter = createScriptedAdapter('p', () =>
      healthy
        ? { text: 'ok' }
        : { error: new ProviderUnavailableError('down', { provider: 'p', status: 503 }) },
    );
    const events = createEventBus();
    const seen: string[] = [];
    events.on('circuit.open', ({ model }) => seen.push(`open:${model}`));
    events.on('circuit.halfOpen', ({ model }) => seen.push(`halfOpen:${model}`));
    events.on('circuit.close', ({ model }) => seen.push(`close:${model}`));
    const resilient = withResilience(adapter, {
      retry: false,
      events,
      breaker: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 1000 },
    });
    for (let i = 0; i < 4; i++)
      await expect(resilient.chat(ask('sick'), call)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(seen).toEqual(['open:sick']);
    const refused = await resilient.chat(ask('sick'), call).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ provider: 'p', model: 'sick' });
    expect(adapter.calls).toHaveLength(4);
    expect(resilient.circuits()).toMatchObject([{ provider: 'p', model: 'sick', state: 'open' }]);

    await expect(resilient.chat(ask('other'), call)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(adapter.calls).toHaveLength(5);

    healthy = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toContain('halfOpen:sick');
    await expect(resilient.chat(ask('sick'), call)).resolves.toMatchObject({ text: 'ok' });
    expect(seen.at(-1)).toBe('close:sick');
    expect(resilient.circuits().find((c) => c.model === 'sick')?.state).toBe('closed');
    await resilient.close?.();
  });

  it('is never tripped by 4xx errors other than 429', async () => {
    const adapter = createScriptedAdapter('p', () => ({
      error: new ProviderBadRequestError('bad', { provider: 'p', status: 400 }),
    }));
    const resilient = withResilience(adapter, { retry: false, breaker: { volumeThreshold: 2 } });
    for (let i = 0; i < 6; i++)
      await expect(resilient.chat(ask('m'), call)).rejects.toBeInstanceOf(ProviderBadRequestError);
    expect(resilient.circuits()[0]?.state).toBe('closed');
    expect(adapter.calls).toHaveLength(6);
    await resilient.close?.();
  });
});

describe('tripsBreaker', () => {
  it('counts 429, 5xx and unknown errors, not 4xx', () => {
    expect(tripsBreaker(new RateLimitedError('x', { provider: 'p', status: 429 }))).toBe(true);
    expect(tripsBreaker(new ProviderUnavailableError('x', { provider: 'p', status: 500 }))).toBe(true);
    expect(tripsBreaker(new Error('boom'))).toBe(true);
    expect(tripsBreaker(new ProviderBadRequestError('x', { provider: 'p', status: 404 }))).toBe(false);
  });
});
