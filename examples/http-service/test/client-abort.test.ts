import { request } from 'node:http';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import type { Forge1Events } from '@forge1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.ts';

// A slow emulator spreads a stream's events over 3 s, so the client can hang up mid-stream.
let emulator: ProviderEmulator;
let server: RunningServer;
beforeAll(async () => {
  emulator = await startProviderEmulator({ latencyMs: 3000 });
  server = await startServer({
    port: 0,
    // These tests stand for a service behind an authenticating gateway: x-tenant-id is trusted.
    trustTenantHeader: true,
    providers: [
      { provider: 'openai', baseURL: emulator.urls.openai, keys: [{ id: 'slow', secret: 'sk-slow-0001' }] },
    ],
    tenants: [{ id: 'acme', tier: 'professional' }],
    resilience: { retry: false },
  });
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

describe('a client that goes away', () => {
  it('aborts the provider call and meters the stream as aborted', async () => {
    const errors: Array<Forge1Events['request.error']> = [];
    const usage: Array<Forge1Events['usage']['record']> = [];
    server.service.events.on('request.error', (event) => errors.push(event));
    server.service.events.on('usage', ({ record }) => usage.push(record));
    const gone = new Promise<void>((resolve) => server.service.events.once('request.error', () => resolve()));

    const body = JSON.stringify({
      stream: true,
      messages: [{ role: 'user', content: 'Tell me about tides.' }],
    });
    await new Promise<void>((resolve, reject) => {
      const outgoing = request(`${server.url}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' },
      });
      outgoing.on('response', (incoming) => {
        incoming.once('data', () => {
          outgoing.destroy();
          resolve();
        });
      });
      outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
      outgoing.end(body);
    });
    await gone;

    expect(errors.map((event) => event.errorCode)).toEqual(['aborted']);
    expect(usage.at(-1)).toMatchObject({ tenantId: 'acme', status: 'aborted' });
    await expect.poll(() => emulator.counters.total().aborted).toBe(1);
  });
});
