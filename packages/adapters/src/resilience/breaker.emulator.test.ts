import { CircuitOpenError, createEventBus, Secret } from '@forge1/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ProviderEmulator, startProviderEmulator } from '../emulator/index.js';
import { openai } from '../openai/openai-adapter.js';
import { withResilience } from './with-resilience.js';

const call = { apiKey: new Secret('sk-forge1-breaker-test-0000000001'), keyId: 'breaker-key' };
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Say hello.' }] });

describe('circuit breaker against the emulator', () => {
  let emulator: ProviderEmulator;
  beforeAll(async () => {
    emulator = await startProviderEmulator({});
  });
  afterAll(async () => {
    vi.useRealTimers();
    await emulator.close();
  });

  it('opens on a model failing with 503, keeps requests away from it while open, and closes after a half-open probe', async () => {
    // Only the breaker's timers are faked: the emulator and the SDK keep real I/O.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    emulator.setFaults([{ match: { model: 'gpt-4o-mini' }, kind: 'status', status: 503 }]);
    const events = createEventBus();
    const seen: string[] = [];
    for (const name of ['circuit.open', 'circuit.halfOpen', 'circuit.close'] as const) {
      events.on(name, ({ model }) => seen.push(`${name}:${model}`));
    }
    const adapter = withResilience(openai({ baseURL: emulator.urls.openai }), {
      retry: false,
      events,
      breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeoutMs: 10_000 },
    });

    for (let i = 0; i < 5; i++) {
      await expect(adapter.chat(ask('gpt-4o-mini'), call)).rejects.toMatchObject({
        status: 503,
        retryable: true,
      });
    }
    expect(seen).toEqual(['circuit.open:gpt-4o-mini']);
    expect(emulator.counters.forModel('gpt-4o-mini').requests).toBe(5);

    for (let i = 0; i < 3; i++) {
      await expect(adapter.chat(ask('gpt-4o-mini'), call)).rejects.toBeInstanceOf(CircuitOpenError);
    }
    expect(emulator.counters.forModel('gpt-4o-mini').requests).toBe(5);
    expect(adapter.circuits()).toMatchObject([
      { provider: 'openai', model: 'gpt-4o-mini', state: 'open', rejected: 3 },
    ]);

    // Another model has its own circuit and still reaches the provider.
    await expect(adapter.chat(ask('gpt-4.1-mini'), call)).resolves.toMatchObject({ finishReason: 'stop' });

    emulator.setFaults([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen).toContain('circuit.halfOpen:gpt-4o-mini');
    await expect(adapter.chat(ask('gpt-4o-mini'), call)).resolves.toMatchObject({ finishReason: 'stop' });
    expect(emulator.counters.forModel('gpt-4o-mini').requests).toBe(6);
    expect(seen.at(-1)).toBe('circuit.close:gpt-4o-mini');
    expect(adapter.circuits().find((circuit) => circuit.model === 'gpt-4o-mini')?.state).toBe('closed');
    await adapter.close();
  });
});
