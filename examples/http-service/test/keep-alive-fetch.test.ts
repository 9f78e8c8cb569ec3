import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeepAliveFetch } from '../src/keep-alive-fetch.ts';

let emulator: ProviderEmulator;
const transport = createKeepAliveFetch();
beforeAll(async () => {
  emulator = await startProviderEmulator({ seed: 5 });
});
afterAll(async () => {
  transport.close();
  await emulator?.close();
});

const client = () =>
  new OpenAI({
    apiKey: 'sk-fetch-test',
    baseURL: emulator.urls.openai,
    maxRetries: 0,
    fetch: transport.fetch,
  });
const messages = [{ role: 'user' as const, content: 'Name three colours.' }];

describe('createKeepAliveFetch', () => {
  it('carries an OpenAI SDK call and its response headers', async () => {
    emulator.setKeyLimits('sk-fetch-test', { rpm: 100 });
    const { data, response } = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages })
      .withResponse();
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100');
  });

  it('passes a Server-Sent Event stream through chunk by chunk', async () => {
    const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text.length).toBeGreaterThan(0);
  });

  it('turns an error status into the SDK error with its status', async () => {
    emulator.setFaults([{ kind: 'status', status: 503 }]);
    try {
      await expect(
        client().chat.completions.create({ model: 'gpt-4o-mini', messages }),
      ).rejects.toMatchObject({
        status: 503,
      });
    } finally {
      emulator.setFaults([]);
    }
  });

  it('rejects with an AbortError when the signal fires mid-request', async () => {
    let server: Server | undefined;
    try {
      server = createServer(() => undefined);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const controller = new AbortController();
      const pending = transport.fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        body: '{}',
        signal: controller.signal,
      });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      server?.closeAllConnections();
      server?.close();
    }
  });

  it('refuses a body it cannot send', async () => {
    const body = new ReadableStream();
    await expect(
      transport.fetch(`${emulator.url}/v1/chat/completions`, { method: 'POST', body }),
    ).rejects.toThrow(TypeError);
  });
});
