import {
  AbortedError,
  ProviderAuthError,
  type ProviderCall,
  ProviderUnavailableError,
  RateLimitedError,
  Secret,
  ValidationError,
} from '@forge1/core';
import { createFakeClock, createScriptedAdapter, type ScriptedReply } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './retry.js';
import { withResilience } from './with-resilience.js';

const call: ProviderCall = { apiKey: new Secret('sk-test-key-0000000000'), keyId: 'k1' };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
const unavailable = () => new ProviderUnavailableError('down', { provider: 'p', status: 503 });

function scripted(replies: ScriptedReply[]) {
  let i = 0;
  return createScriptedAdapter('p', () => replies[Math.min(i++, replies.length - 1)] as ScriptedReply);
}

describe('withResilience retries', () => {
  it('retries a retryable error after a full-jitter backoff on the injected clock', async () => {
    const clock = createFakeClock();
    const adapter = scripted([{ error: unavailable() }, { text: 'ok' }]);
    const resilient = withResilience(adapter, { clock, random: () => 0.5, breaker: false });
    const pending = resilient.chat(request, call);
    await clock.advance(0);
    expect(adapter.calls).toHaveLength(1);
    await clock.advance(249);
    expect(adapter.calls).toHaveLength(1);
    await clock.advance(1);
    await expect(pending).resolves.toMatchObject({ text: 'ok' });
    expect(adapter.calls).toHaveLength(2);
  });

  it('waits at least retryAfterMs', async () => {
    const clock = createFakeClock();
    const limited = new RateLimitedError('slow down', {
      provider: 'p',
      status: 429,
      retryAfterMs: 5000,
      kind: 'requests',
    });
    const adapter = scripted([{ error: limited }, { text: 'ok' }]);
    const resilient = withResilience(adapter, { clock, random: () => 0.99, breaker: false });
    const pending = resilient.chat(request, call);
    await clock.advance(4999);
    expect(adapter.calls).toHaveLength(1);
    await clock.advance(1);
    await expect(pending).resolves.toMatchObject({ text: 'ok' });
  });

  it('throws at once when retryAfterMs is beyond maxRetryAfterMs', async () => {
    const limited = new RateLimitedError('later', { provider: 'p', retryAfterMs: 120_000, kind: 'tokens' });
    const adapter = scripted([{ error: limited }, { text: 'ok' }]);
    const resilient = withResilience(adapter, { clock: createFakeClock(), breaker: false });
    await expect(resilient.chat(request, call)).rejects.toBe(limited);
    expect(adapter.calls).toHaveLength(1);
  });

  it('never retries a non-retryable error', async () => {
    const auth = new ProviderAuthError('bad key', { provider: 'p', status: 401 });
    const adapter = scripted([{ error: auth }, { text: 'ok' }]);
    const resilient = withResilience(adapter, { clock: createFakeClock(), breaker: false });
    await expect(resilient.chat(request, call)).rejects.toBe(auth);
    expect(adapter.calls).toHaveLength(1);
  });

  it('does not retry a rate limit on the same key when retryRateLimits is false', async () => {
    const limited = new RateLimitedError('slow down', { provider: 'p', status: 429, kind: 'requests' });
    const adapter = scripted([{ error: limited }, { text: 'ok' }]);
    const resilient = withResilience(adapter, { clock: createFakeClock(), breaker: false });
    await expect(resilient.chat(request, { ...call, retryRateLimits: false })).rejects.toBe(limited);
    expect(adapter.calls).toHaveLength(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    const clock = createFakeClock();
    const adapter = scripted([{ error: unavailable() }]);
    const resilient = withResilience(adapter, {
      clock,
      random: () => 0,
      retry: { retries: 3 },
      breaker: false,
    });
    const pending = resilient.chat(request, call);
    const settled = expect(pending).rejects.toBeInstanceOf(ProviderUnavailableError);
    await clock.runAll();
    await settled;
    expect(adapter.calls).toHaveLength(4);
  });

  it('stops waiting and throws AbortedError when the caller aborts during the backoff', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const adapter = scripted([{ error: unavailable() }, { text: 'ok' }]);
    const resilient = withResilience(adapter, { clock, random: () => 1, breaker: false });
    const pending = resilient.chat(request, { ...call, signal: controller.signal });
    await clock.advance(10);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await clock.runAll();
    expect(adapter.calls).toHaveLength(1);
  });

  it('retries a stream that fails before its first chunk, and streams the retry', async () => {
    const clock = createFakeClock();
    const adapter = scripted([{ error: unavailable() }, { text: 'hello there' }]);
    const resilient = withResilience(adapter, { clock, random: () => 0, breaker: false });
    const chunks: string[] = [];
    for await (const chunk of resilient.stream(request, call)) chunks.push(chunk.type);
    expect(chunks).toEqual(['text-delta', 'text-delta', 'finish']);
    expect(adapter.calls).toHaveLength(2);
  });

  it('refuses invalid options with a ValidationError naming the field', () => {
    expect(() => withResilience(scripted([{ text: 'x' }]), { retry: { retries: -1 } })).toThrow(
      ValidationError,
    );
    expect(() => withResilience(scripted([{ text: 'x' }]), { retry: { retries: -1 } })).toThrow(
      /retry\.retries/,
    );
  });
});

describe('backoffDelay', () => {
  const settings = { retries: 5, minDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
  it('is full jitter under an exponential cap', () => {
    expect(backoffDelay(1, undefined, settings, () => 1)).toBe(500);
    expect(backoffDelay(3, undefined, settings, () => 1)).toBe(2000);
    expect(backoffDelay(10, undefined, settings, () => 1)).toBe(8000);
    expect(backoffDelay(3, undefined, settings, () => 0.25)).toBe(500);
    expect(backoffDelay(1, 3000, settings, () => 0)).toBe(3000);
  });

  it('refuses a malformed request or call with a validation error, without calling the adapter', async () => {
    const adapter = scripted([{ text: 'ok' }]);
    const resilient = withResilience(adapter, { clock: createFakeClock(), breaker: false });
    const throwing = Object.defineProperty({}, 'model', {
      get: () => {
        throw new RangeError('from the caller');
      },
    });
    const refused = { code: 'validation_error' };
    await expect(resilient.chat(throwing as never, call)).rejects.toMatchObject(refused);
    await expect(resilient.chat(request, { ...call, timeoutMs: Number.NaN })).rejects.toMatchObject(refused);
    const stream = resilient.stream(request, null as never)[Symbol.asyncIterator]();
    await expect(stream.next()).rejects.toMatchObject(refused);
    expect(adapter.calls).toHaveLength(0);
  });
});
