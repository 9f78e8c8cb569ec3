// An image request and an embeddings request over HTTP, and the tenant's usage report showing both.
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.ts';
import { createTestClient } from './test-client.ts';

const token = 'tok-media-3b5d7f9a1c2e4f60';
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
let emulator: ProviderEmulator;
let server: RunningServer;
const client = createTestClient(() => server.url);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

beforeAll(async () => {
  emulator = await startProviderEmulator({ seed: 9 });
  server = await startServer({
    port: 0,
    providers: [
      {
        provider: 'openai',
        baseURL: emulator.urls.openai,
        keys: [{ id: 'o1', secret: 'sk-media-test-0001' }],
      },
    ],
    tenants: [{ id: 'pixel-labs', tier: 'standard' }],
    apiTokens: [{ token, tenantId: 'pixel-labs' }],
  });
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

describe('images and embeddings over HTTP', () => {
  it('answers a chat with an image part and an embeddings call, and reports both in the usage', async () => {
    const image = await client.chat(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe this photo in one sentence.' },
              { type: 'image', data: pixel, mediaType: 'image/png' },
            ],
          },
        ],
      },
      headers,
    );
    expect(image.status).toBe(200);
    const embedded = await client.request('/v1/embeddings', {
      method: 'POST',
      headers,
      body: JSON.stringify({ input: ['first text', 'second text'] }),
    });
    expect(embedded.status).toBe(200);
    const answer = embedded.json<{ embeddings: number[][]; model: string; costMicros: number }>();
    expect(answer.embeddings).toHaveLength(2);
    expect(answer.model).toBe('text-embedding-3-small');

    const usage = await client.request('/v1/tenants/pixel-labs/usage?groupBy=model', { headers });
    const report = usage.json<{
      totals: { imageParts?: number };
      groups: { model: Array<{ key: string }> };
    }>();
    expect(report.totals.imageParts).toBe(1);
    expect(report.groups.model.map((group) => group.key)).toContain('text-embedding-3-small');
  });

  it('refuses an embeddings call without a token, or with no input', async () => {
    const anonymous = await client.request('/v1/embeddings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: ['x'] }),
    });
    expect(anonymous.status).toBe(401);
    const empty = await client.request('/v1/embeddings', {
      method: 'POST',
      headers,
      body: JSON.stringify({ input: [] }),
    });
    expect(empty.status).toBe(400);
  });
});
