import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.ts';
import type { ProviderSetup } from '../src/upstream.ts';
import { createTestClient, parseSse } from './test-client.ts';

// Secrets the service must never send back: provider keys and callers' bearer tokens.
const providerSecrets = {
  openai: 'sk-test-openai-7f3a9c1e5b2d4f60',
  anthropic: 'sk-ant-test-2b8e6d4c1a9f7e35',
  google: 'AIzaTestGoogle0c4e8a2f6b1d9e73',
};
const acmeToken = 'tok-acme-4d1f8b2e9c7a6053';
const pixelToken = 'tok-pixel-8a3c5e7f1b2d4690';
const allSecrets = [...Object.values(providerSecrets), acmeToken, pixelToken];

const hello = { messages: [{ role: 'user', content: 'Hello, what can you do for me today?' }] };
const setups = (emulator: ProviderEmulator): ProviderSetup[] => [
  {
    provider: 'openai',
    baseURL: emulator.urls.openai,
    keys: [{ id: 'openai-a', secret: providerSecrets.openai }],
  },
  {
    provider: 'anthropic',
    baseURL: emulator.urls.anthropic,
    keys: [{ id: 'anthropic-a', secret: providerSecrets.anthropic }],
  },
  {
    provider: 'google',
    baseURL: emulator.urls.google,
    keys: [{ id: 'google-a', secret: providerSecrets.google }],
  },
];

interface ChatAnswer {
  id: string;
  text: string;
  provider: string;
  model: string;
  costMicros: number;
  totalUsage: { inputTokens: number; outputTokens: number };
}
interface ErrorAnswer {
  error: { code: string; message: string; retryable: boolean; retryAfterMs?: number; requestId?: string };
}

let emulator: ProviderEmulator;
let server: RunningServer;
const client = createTestClient(() => server.url);

beforeAll(async () => {
  emulator = await startProviderEmulator({ seed: 3 });
  server = await startServer({
    port: 0,
    // These tests stand for a service behind an authenticating gateway: x-tenant-id is trusted.
    trustTenantHeader: true,
    providers: setups(emulator),
    tenants: [
      { id: 'acme-bank', tier: 'enterprise', industry: 'finance' },
      { id: 'pixel-labs', tier: 'standard', industry: 'tech' },
      { id: 'tiny-quota', tier: 'standard', limits: { dailyRequests: 2 } },
      { id: 'no-budget', tier: 'standard', budget: { monthlyMicros: 0 } },
    ],
    apiTokens: [
      { token: acmeToken, tenantId: 'acme-bank' },
      { token: pixelToken, tenantId: 'pixel-labs' },
    ],
    resilience: { retry: false },
    invoice: { markup: 0.5, plan: { name: 'growth', baseFeeMicros: 1_000_000 } },
  });
});

afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

describe('POST /v1/chat', () => {
  it('answers a chat for the tenant of the x-tenant-id header, with its cost', async () => {
    const answer = await client.chat(hello, { 'x-tenant-id': 'acme-bank', 'x-user-id': 'u1' });
    expect(answer.status).toBe(200);
    const body = answer.json<ChatAnswer>();
    expect(body.text.length).toBeGreaterThan(0);
    expect(['openai', 'anthropic', 'google']).toContain(body.provider);
    expect(body.totalUsage.inputTokens).toBeGreaterThan(0);
    expect(body.costMicros).toBeGreaterThan(0);
    expect(answer.headers['x-request-id']).toBe(body.id);
  });

  it('takes the tenant from a bearer token', async () => {
    const answer = await client.chat(hello, { authorization: `Bearer ${pixelToken}` });
    expect(answer.status).toBe(200);
    expect(emulator.counters.total().ok).toBeGreaterThan(0);
  });

  it('streams Server-Sent Events: data chunks, then a done event with the cost', async () => {
    const answer = await client.chat({ ...hello, stream: true }, { 'x-tenant-id': 'acme-bank' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(answer.text);
    const chunks = events.filter((event) => event.event === 'message').map((event) => JSON.parse(event.data));
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.text)
      .join('');
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(chunks.at(-1)).not.toHaveProperty('rateLimit');
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const summary = JSON.parse(done.data);
    expect(summary.id).toBe(answer.headers['x-request-id']);
    expect(summary.costMicros).toBeGreaterThan(0);
  });

  it('answers an error before the first chunk of a stream as plain HTTP, not SSE', async () => {
    const answer = await client.chat({ ...hello, stream: true }, { 'x-tenant-id': 'nobody' });
    expect(answer.status).toBe(404);
    expect(answer.json<ErrorAnswer>().error.code).toBe('unknown_tenant');
  });
});

describe('usage and invoice', () => {
  it('reports a tenant its own usage, equal to what its answers cost', async () => {
    const headers = { 'x-tenant-id': 'acme-bank', 'x-employee-id': 'e-7', 'x-user-id': 'u-usage' };
    const before = (await client.request('/v1/tenants/acme-bank/usage', { headers })).json<{
      totals: { requests: number; costMicros: number };
    }>();
    const costs: number[] = [];
    for (const content of ['Where is my card?', 'Summarise the FX fee schedule.', 'Hi!']) {
      const answer = await client.chat({ messages: [{ role: 'user', content }] }, headers);
      costs.push(answer.json<ChatAnswer>().costMicros);
    }
    const usage = await client.request('/v1/tenants/acme-bank/usage?groupBy=user,employee', { headers });
    expect(usage.status).toBe(200);
    const body = usage.json<{
      totals: { requests: number; costMicros: number };
      groups: Record<string, Array<{ key: string; requests: number; costMicros: number }>>;
    }>();
    expect(body.totals.requests - before.totals.requests).toBe(3);
    expect(body.totals.costMicros - before.totals.costMicros).toBe(costs.reduce((a, b) => a + b, 0));
    expect(body.groups.user?.find((group) => group.key === 'u-usage')).toMatchObject({ requests: 3 });
    expect(body.groups.employee?.find((group) => group.key === 'e-7')?.requests).toBeGreaterThanOrEqual(3);
  });

  it('previews an invoice whose subtotal is the usage cost, with markup and base fee', async () => {
    const headers = { authorization: `Bearer ${pixelToken}` };
    const usage = (await client.request('/v1/tenants/pixel-labs/usage', { headers })).json<{
      totals: { costMicros: number };
    }>();
    const answer = await client.request('/v1/tenants/pixel-labs/invoice', { headers });
    expect(answer.status).toBe(200);
    const invoice = answer.json<{
      tenantId: string;
      subtotalMicros: number;
      markupMicros: number;
      baseFeeMicros: number;
      totalMicros: number;
      lines: unknown[];
    }>();
    expect(invoice.tenantId).toBe('pixel-labs');
    expect(invoice.subtotalMicros).toBe(usage.totals.costMicros);
    expect(invoice.subtotalMicros).toBeGreaterThan(0);
    expect(invoice.lines.length).toBeGreaterThan(0);
    expect(invoice.markupMicros).toBeGreaterThanOrEqual(Math.floor(invoice.subtotalMicros * 0.5));
    expect(invoice.totalMicros).toBe(1_000_000 + invoice.subtotalMicros + invoice.markupMicros);
  });

  it('refuses a bad groupBy and a bad period with 400', async () => {
    const headers = { 'x-tenant-id': 'acme-bank' };
    const usage = await client.request('/v1/tenants/acme-bank/usage?groupBy=colour', { headers });
    const invoice = await client.request('/v1/tenants/acme-bank/invoice?period=2026-13', { headers });
    expect([usage.status, invoice.status]).toEqual([400, 400]);
    expect(usage.json<ErrorAnswer>().error.code).toBe('validation_error');
  });
});

describe('tenant isolation', () => {
  it("refuses to show one tenant another tenant's usage or invoice (403)", async () => {
    const asPixel = { authorization: `Bearer ${pixelToken}` };
    const usage = await client.request('/v1/tenants/acme-bank/usage', { headers: asPixel });
    const invoice = await client.request('/v1/tenants/acme-bank/invoice', {
      headers: { 'x-tenant-id': 'pixel-labs' },
    });
    expect([usage.status, invoice.status]).toEqual([403, 403]);
    expect(usage.json<ErrorAnswer>().error.code).toBe('forbidden');
    expect(usage.text).not.toContain('costMicros');
  });

  it('refuses an x-tenant-id that contradicts the bearer token (403)', async () => {
    const answer = await client.chat(hello, {
      authorization: `Bearer ${pixelToken}`,
      'x-tenant-id': 'acme-bank',
    });
    expect(answer.status).toBe(403);
  });

  it('refuses an unknown token or no credentials (401)', async () => {
    const unknown = await client.chat(hello, { authorization: 'Bearer not-a-token' });
    const none = await client.chat(hello, {});
    expect([unknown.status, none.status]).toEqual([401, 401]);
    expect(unknown.headers['www-authenticate']).toBe('Bearer');
    expect(none.json<ErrorAnswer>().error.code).toBe('unauthorized');
  });

  it('does not let a body speak for another tenant', async () => {
    const answer = await client.chat({ ...hello, tenant: 'acme-bank' }, { 'x-tenant-id': 'pixel-labs' });
    expect(answer.status).toBe(400);
    expect(answer.json<ErrorAnswer>().error.message).toContain('tenant');
  });
});

describe('error mapping', () => {
  it('maps malformed JSON and an invalid request to 400 validation_error', async () => {
    const headers = { 'x-tenant-id': 'acme-bank' };
    const malformed = await client.chat('{"messages": [', headers);
    const empty = await client.chat({ messages: [] }, headers);
    expect([malformed.status, empty.status]).toEqual([400, 400]);
    expect(empty.json<ErrorAnswer>().error).toMatchObject({ code: 'validation_error', retryable: false });
    expect(empty.json<ErrorAnswer>().error.message).toContain('messages');
  });

  it('maps an unknown tenant to 404 unknown_tenant', async () => {
    const answer = await client.chat(hello, { 'x-tenant-id': 'ghost-corp' });
    expect(answer.status).toBe(404);
    expect(answer.json<ErrorAnswer>().error.code).toBe('unknown_tenant');
  });

  it('maps a spent daily quota to 429 quota_exceeded with Retry-After', async () => {
    const headers = { 'x-tenant-id': 'tiny-quota' };
    expect((await client.chat(hello, headers)).status).toBe(200);
    expect((await client.chat(hello, headers)).status).toBe(200);
    const refused = await client.chat(hello, headers);
    expect(refused.status).toBe(429);
    expect(refused.json<ErrorAnswer>().error.code).toBe('quota_exceeded');
    const seconds = Number(refused.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(86_400);
  });

  it('maps an exhausted budget to 429 budget_exceeded with Retry-After', async () => {
    const refused = await client.chat(hello, { 'x-tenant-id': 'no-budget' });
    expect(refused.status).toBe(429);
    expect(refused.json<ErrorAnswer>().error.code).toBe('budget_exceeded');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('maps failing providers to 502 with the provider error code and a request id', async () => {
    emulator.setFaults([{ kind: 'status', status: 500 }]);
    try {
      const answer = await client.chat(hello, { 'x-tenant-id': 'pixel-labs', 'x-request-id': 'req-502' });
      expect(answer.status).toBe(502);
      expect(answer.json<ErrorAnswer>().error).toMatchObject({
        code: 'provider_unavailable',
        requestId: 'req-502',
      });
    } finally {
      emulator.setFaults([]);
    }
  });

  it('answers unknown routes and oversized bodies with JSON errors', async () => {
    const missing = await client.request('/v2/nothing');
    const huge = await client.chat(
      { messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }] },
      {
        'x-tenant-id': 'acme-bank',
      },
    );
    expect([missing.status, huge.status]).toEqual([404, 413]);
    expect(huge.json<ErrorAnswer>().error.code).toBe('payload_too_large');
  });
});

describe('no capacity', () => {
  let lone: RunningServer;
  const loneClient = createTestClient(() => lone.url);
  beforeAll(async () => {
    lone = await startServer({
      port: 0,
      trustTenantHeader: true,
      providers: [
        {
          provider: 'openai',
          baseURL: emulator.urls.openai,
          keys: [{ id: 'lone', secret: providerSecrets.openai, rpm: 1 }],
        },
      ],
      tenants: [{ id: 'solo', tier: 'standard' }],
      resilience: { retry: false },
      maxKeyWaitMs: 200,
    });
  });
  afterAll(async () => {
    await lone?.close();
    client.seen.push(...loneClient.seen);
  });

  it('maps a pool with no key free to 503 no_capacity with Retry-After', async () => {
    const headers = { 'x-tenant-id': 'solo' };
    expect((await loneClient.chat(hello, headers)).status).toBe(200);
    const refused = await loneClient.chat(hello, headers);
    expect(refused.status).toBe(503);
    expect(refused.json<ErrorAnswer>().error.code).toBe('no_capacity');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('upstream', () => {
  it('uses the provider emulator when no provider key is configured', async () => {
    const local = await startServer({ port: 0, env: {}, trustTenantHeader: true });
    try {
      expect(local.service.mode).toBe('emulator');
      const answer = await fetch(`${local.url}/v1/chat`, {
        method: 'POST',
        headers: { 'x-tenant-id': 'pixel-labs', 'content-type': 'application/json' },
        body: JSON.stringify(hello),
      });
      expect(answer.status).toBe(200);
      expect(local.service.emulator!.counters.total().ok).toBe(1);
    } finally {
      await local.close();
    }
  });
});

describe('start-up', () => {
  it('refuses bad tenants and providers with a ValidationError naming the field', async () => {
    await expect(
      startServer({ port: 0, env: {}, tenants: [{ id: 'bad id!', tier: 'standard' }] }),
    ).rejects.toMatchObject({ code: 'validation_error' });
    await expect(
      startServer({
        port: 0,
        providers: [{ provider: 'mystery', keys: [{ id: 'k', secret: 'sk-mystery-1' }] }],
      }),
    ).rejects.toThrow(/providers\.mystery/);
  });

  it('rejects when the port is taken', async () => {
    await expect(
      startServer({ port: server.port, host: '127.0.0.1', providers: setups(emulator) }),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});

describe('secrets', () => {
  it('never sends a provider key or a bearer token in any answer', () => {
    expect(client.seen.length).toBeGreaterThan(20);
    for (const answer of client.seen) {
      const everything = `${JSON.stringify(answer.headers)}\n${answer.text}`;
      for (const secret of allSecrets) expect(everything).not.toContain(secret);
    }
  });
});

describe('providers from the environment', () => {
  it('reads keys, base URLs and limits, and keeps the keys as secrets', async () => {
    const { providersFromEnv } = await import('../src/upstream.ts');
    const setups = providersFromEnv({
      OPENAI_API_KEY: 'sk-env-openai-123456',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_RPM: '60000',
      GEMINI_API_KEY: 'AIza-env-google',
      GOOGLE_TPM: 'lots',
    });
    expect(setups.map((setup) => setup.provider)).toEqual(['openai', 'google']);
    expect(setups[0]).toMatchObject({
      baseURL: 'http://127.0.0.1:9/v1',
      keys: [{ rpm: 60_000, tpm: 200_000 }],
    });
    expect(setups[1]?.keys[0]).toMatchObject({ rpm: 150, tpm: 1_000_000 });
    expect(JSON.stringify(setups)).not.toContain('sk-env-openai-123456');
  });

  it('calls the providers named by the environment instead of the emulator', async () => {
    const local = await startServer({
      port: 0,
      trustTenantHeader: true,
      env: { OPENAI_API_KEY: providerSecrets.openai, OPENAI_BASE_URL: emulator.urls.openai },
    });
    try {
      expect(local.service.mode).toBe('real');
      expect(local.service.emulator).toBeUndefined();
      const before = emulator.counters.forKey(providerSecrets.openai).ok;
      const answer = await fetch(`${local.url}/v1/chat`, {
        method: 'POST',
        headers: { 'x-tenant-id': 'pixel-labs', 'content-type': 'application/json' },
        body: JSON.stringify(hello),
      });
      expect(answer.status).toBe(200);
      expect(emulator.counters.forKey(providerSecrets.openai).ok).toBe(before + 1);
    } finally {
      await local.close();
    }
  });
});
