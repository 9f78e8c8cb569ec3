import { connect } from 'node:net';
import { Forge1Error, ValidationError } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  hashApiKey,
  type ProviderEmulator,
  type ProviderEmulatorOptions,
  startProviderEmulator,
} from './index.js';

let emulator: ProviderEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: ProviderEmulatorOptions = {}) {
  emulator = await startProviderEmulator(options);
  return emulator;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const openaiBody = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'hi' }] };
const anthropicBody = {
  model: 'claude-haiku-4-5',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'hi' }],
};
const googleBody = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

describe('startProviderEmulator', () => {
  it('listens on 127.0.0.1 and gives each SDK its base URL', async () => {
    const running = await start();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.urls).toEqual({
      openai: `${running.url}/v1`,
      anthropic: running.url,
      google: running.url,
    });
  });

  it('rejects malformed options with a ValidationError that names the field but never a key value', async () => {
    const error = await startProviderEmulator({ keys: { 'sk-very-secret-value': { rpm: -1 } } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(Forge1Error.is(error, 'validation_error')).toBe(true);
    expect((error as Error).message).toContain('rpm');
    expect((error as Error).message).not.toContain('sk-very-secret-value');
    await expect(startProviderEmulator({ windowMs: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      startProviderEmulator({ faults: [{ kind: 'status', status: 418 as 500 }] }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a missing key with each provider’s own status and shape', async () => {
    const running = await start();
    const openai = await post(`${running.urls.openai}/chat/completions`, openaiBody);
    const anthropic = await post(`${running.url}/v1/messages`, anthropicBody);
    const google = await post(`${running.url}/v1beta/models/gemini-2.5-flash:generateContent`, googleBody);
    expect(openai.status).toBe(401);
    expect(anthropic.status).toBe(401);
    expect(((await anthropic.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    expect(google.status).toBe(403);
    expect(((await google.json()) as { error: { status: string } }).error.status).toBe('PERMISSION_DENIED');
  });

  it('answers an invalid JSON body with each provider’s 400', async () => {
    const running = await start();
    const openai = await post(`${running.urls.openai}/chat/completions`, '{nope', {
      authorization: 'Bearer k',
    });
    const anthropic = await post(`${running.url}/v1/messages`, '{nope', { 'x-api-key': 'k' });
    const google = await post(`${running.url}/v1beta/models/gemini-2.5-flash:generateContent`, '{nope', {
      'x-goog-api-key': 'k',
    });
    expect([openai.status, anthropic.status, google.status]).toEqual([400, 400, 400]);
    expect(((await google.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
  });

  it('counts per key, model and provider', async () => {
    const running = await start({ keys: { 'sk-limited': { rpm: 1 } } });
    await post(`${running.urls.openai}/chat/completions`, openaiBody, { authorization: 'Bearer sk-limited' });
    await post(`${running.urls.openai}/chat/completions`, openaiBody, { authorization: 'Bearer sk-limited' });
    await post(`${running.url}/v1/messages`, anthropicBody, { 'x-api-key': 'sk-other' });
    expect(running.counters.forKey('sk-limited')).toMatchObject({ requests: 2, ok: 1, rateLimited: 1 });
    expect(running.counters.forModel('gpt-4.1')).toMatchObject({ requests: 2, ok: 1 });
    expect(running.counters.forModel('claude-haiku-4-5')).toMatchObject({ requests: 1, ok: 1 });
    expect(running.counters.forProvider('anthropic').requests).toBe(1);
    expect(running.counters.total()).toMatchObject({ requests: 3, ok: 2, rateLimited: 1, errors: 0 });
    expect(running.counters.total().inputTokens).toBeGreaterThan(0);
    expect(Object.keys(running.counters.byKeyHash()).sort()).toEqual(
      [hashApiKey('sk-limited'), hashApiKey('sk-other')].sort(),
    );
  });

  it('changes limits, revokes keys and replaces faults while running', async () => {
    const clock = createFakeClock();
    const running = await start({ clock });
    const call = () =>
      post(`${running.urls.openai}/chat/completions`, openaiBody, { authorization: 'Bearer sk-a' });
    running.setKeyLimits('sk-a', { rpm: 1 });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(429);
    running.setKeyLimits('sk-a', {});
    running.setFaults([
      { kind: 'status', status: 503, match: { model: 'gpt-4.1' }, time: { to: clock.now() + 1_000 } },
    ]);
    expect((await call()).status).toBe(503);
    await clock.advance(1_000);
    expect((await call()).status).toBe(200);
    running.revokeKey('sk-a');
    expect((await call()).status).toBe(401);
    expect(() => running.setFaults([{ kind: 'slow', delayMs: -1 }])).toThrow(ValidationError);
    expect(() => running.setKeyLimits('sk-a', { tpm: 0 })).toThrow(ValidationError);
  });

  it('never puts a key value in a body, a header or a counter', async () => {
    const key = 'sk-never-print-this-0123456789';
    const running = await start({ revokedKeys: [key] });
    const responses = await Promise.all([
      post(`${running.urls.openai}/chat/completions`, openaiBody, { authorization: `Bearer ${key}` }),
      post(`${running.url}/v1/messages`, anthropicBody, { 'x-api-key': key }),
      post(`${running.url}/v1beta/models/gemini-2.5-flash:generateContent?key=${key}`, googleBody),
    ]);
    for (const response of responses) {
      expect(await response.text()).not.toContain(key);
      expect(JSON.stringify([...response.headers])).not.toContain(key);
    }
    expect(JSON.stringify(running.counters.byKeyHash())).not.toContain(key);
    expect(running.counters.forKey(key).errors).toBe(3);
  });

  it('delays a slow fault and still answers', async () => {
    const running = await start({ faults: [{ kind: 'slow', delayMs: 20 }] });
    const response = await post(`${running.urls.openai}/chat/completions`, openaiBody, {
      authorization: 'Bearer k',
    });
    expect(response.status).toBe(200);
    expect(running.counters.total()).toMatchObject({ faults: 1, ok: 1, errors: 0 });
  });

  it('stops waiting on a slow fault when the client gives up, and counts it aborted', async () => {
    const running = await start({ faults: [{ kind: 'slow', delayMs: 60_000 }] });
    const controller = new AbortController();
    const pending = fetch(`${running.urls.openai}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify(openaiBody),
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(running.counters.total().faults).toBe(1));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(running.counters.total().aborted).toBe(1));
    expect(running.counters.total()).toMatchObject({ ok: 0, outputTokens: 0 });
  });

  it('counts a stream the client aborts midway as aborted', async () => {
    const running = await start({ latencyMs: 2_000 });
    const client = new OpenAI({ apiKey: 'k', baseURL: running.urls.openai, maxRetries: 0 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      {
        model: 'gpt-4.1',
        stream: true,
        messages: [{ role: 'user', content: 'Design a data platform for audits' }],
      },
      { signal: controller.signal },
    );
    const read = async () => {
      for await (const _chunk of stream) controller.abort();
    };
    // The SDK ends the iteration quietly on the caller's own abort.
    await read().catch(() => undefined);
    expect(controller.signal.aborted).toBe(true);
    await vi.waitFor(() => expect(running.counters.total().aborted).toBe(1));
    expect(running.counters.total()).toMatchObject({ streams: 1, ok: 0 });
    expect(running.counters.total().outputTokens).toBeLessThan(100);
  });

  it('cuts a stream with a dropped connection halfway', async () => {
    const running = await start({ faults: [{ kind: 'drop', midStream: true }] });
    const client = new OpenAI({ apiKey: 'k', baseURL: running.urls.openai, maxRetries: 0 });
    const received: string[] = [];
    const read = async () => {
      const stream = await client.chat.completions.create({ ...openaiBody, model: 'gpt-4.1', stream: true });
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(read()).rejects.toThrow();
    expect(received.length).toBeGreaterThan(0);
    expect(running.counters.total()).toMatchObject({ faults: 1, errors: 1, ok: 0 });
  });

  it('survives a client that hangs up halfway through sending its body', async () => {
    const running = await start();
    const socket = connect(Number(new URL(running.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"model":');
    socket.destroy();
    const response = await post(`${running.urls.openai}/chat/completions`, openaiBody, {
      authorization: 'Bearer k',
    });
    expect(response.status).toBe(200);
    expect(running.counters.total().requests).toBe(1);
  });

  it('closes with a stream in flight, ending its socket', async () => {
    const running = await start({ latencyMs: 60_000 });
    const response = await post(
      `${running.urls.openai}/chat/completions`,
      { ...openaiBody, stream: true },
      { authorization: 'Bearer k' },
    );
    const reading = response.text();
    await running.close();
    await expect(reading).rejects.toThrow();
    await expect(running.close()).resolves.toBeUndefined();
    emulator = undefined;
  });
});
