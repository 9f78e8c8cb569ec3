// The service attacked over real HTTP as a hostile caller would: spoofed tenants, other tenants'
// tokens, bad and expired tokens, huge and slow bodies, too many streams, hang-ups mid-stream and
// path tricks. Each gets its documented status and never another tenant's data; no token or key
// ever shows in an answer or in what the service logs.

import { request } from 'node:http';
import { connect } from 'node:net';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../src/server.ts';
import { createTestClient } from './test-client.ts';

const acmeToken = 'tok-acme-9e2b4d6f8a1c3e57';
const pixelToken = 'tok-pixel-1a3c5e7f9b2d4f68';
const expiredToken = 'tok-expired-5f7a9c1e3b5d7f90';
const limitedToken = 'tok-limited-2c4e6a8b0d1f3a57';
const providerSecret = 'sk-attack-openai-4c6e8a0b2d';
const allSecrets = [acmeToken, pixelToken, expiredToken, limitedToken, providerSecret];
const hello = { messages: [{ role: 'user', content: 'Hello there' }] };

// Everything the service writes to the console during the suite, to scan for secrets.
const logged: string[] = [];
const capture = (...args: unknown[]) => logged.push(args.map(String).join(' '));
for (const method of ['log', 'warn', 'error', 'info'] as const)
  vi.spyOn(console, method).mockImplementation(capture);

let emulator: ProviderEmulator;
let server: RunningServer;
let fresh: RunningServer;
const client = createTestClient(() => server.url);
const freshClient = createTestClient(() => fresh.url);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  // Streams spread their events over a second, so several can be open at once.
  emulator = await startProviderEmulator({ seed: 5, latencyMs: 1000 });
  const providers = [
    {
      provider: 'openai',
      baseURL: emulator.urls.openai,
      keys: [{ id: 'openai-a', secret: providerSecret, rpm: 10_000 }],
    },
  ];
  server = await startServer({
    port: 0,
    providers,
    tenants: [
      { id: 'acme-bank', tier: 'enterprise', industry: 'finance' },
      { id: 'pixel-labs', tier: 'standard', industry: 'tech' },
    ],
    apiTokens: [
      { token: acmeToken, tenantId: 'acme-bank' },
      { token: pixelToken, tenantId: 'pixel-labs', scope: { user: 'u-1' } },
      { token: expiredToken, tenantId: 'acme-bank', expiresAt: Date.now() - 1000 },
      { token: limitedToken, tenantId: 'pixel-labs' },
    ],
    callerLimits: { requestsPerMinute: 600, burst: 40, maxConcurrentStreams: 2 },
    bodyTimeoutMs: 300,
    maxBodyBytes: 64 * 1024,
    resilience: { retry: false },
  });
  // A fresh start with no configuration at all: the emulator, the demo tenants, no token.
  fresh = await startServer({ port: 0, env: {} });
  // Acme has usage a thief would like to read.
  expect((await client.chat(hello, bearer(acmeToken))).status).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await fresh?.close();
  await emulator?.close();
  vi.restoreAllMocks();
});

const noAcmeData = (text: string) => {
  expect(text).not.toContain('"tenantId":"acme-bank"');
  expect(text).not.toMatch(/"inputTokens":[1-9]/);
};

describe('a fresh start with no configuration', () => {
  it('reveals no tenant data to a caller who only claims a tenant', async () => {
    for (const path of ['/v1/tenants/acme-bank/usage', '/v1/tenants/acme-bank/invoice']) {
      const answer = await freshClient.request(path, { headers: { 'x-tenant-id': 'acme-bank' } });
      expect(answer.status).toBe(401);
      expect(answer.json<{ error: { message: string } }>().error.message).toContain(
        'no API tokens configured',
      );
      noAcmeData(answer.text);
    }
    expect((await freshClient.chat(hello, { 'x-tenant-id': 'acme-bank' })).status).toBe(401);
    expect((await freshClient.request('/metrics')).status).toBe(403);
  });
});

describe('who is calling', () => {
  it('refuses a spoofed x-tenant-id without a token (401)', async () => {
    const answer = await client.request('/v1/tenants/acme-bank/usage', {
      headers: { 'x-tenant-id': 'acme-bank' },
    });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    noAcmeData(answer.text);
  });

  it("refuses tenant A's token on tenant B's routes (403)", async () => {
    for (const path of ['/v1/tenants/acme-bank/usage', '/v1/tenants/acme-bank/invoice']) {
      const answer = await client.request(path, { headers: bearer(pixelToken) });
      expect(answer.status).toBe(403);
      noAcmeData(answer.text);
    }
  });

  it('refuses a header that contradicts the token (403)', async () => {
    const answer = await client.chat(hello, { ...bearer(pixelToken), 'x-tenant-id': 'acme-bank' });
    expect(answer.status).toBe(403);
  });

  it('refuses missing, malformed, unknown and expired tokens (401)', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /bearer token/i],
      [{ authorization: 'Bearer' }, /Malformed/],
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, /Malformed/],
      [{ authorization: `Bearer ${acmeToken} extra` }, /Malformed/],
      [{ authorization: 'Bearer tok-not-a-real-token-00' }, /Unknown/],
      [bearer(expiredToken), /expired/],
    ];
    for (const [headers, message] of cases) {
      const answer = await client.request('/v1/tenants/acme-bank/usage', { headers });
      expect(answer.status).toBe(401);
      expect(answer.json<{ error: { message: string } }>().error.message).toMatch(message);
      noAcmeData(answer.text);
    }
  });

  it("accepts attribution headers only within the token's scope", async () => {
    expect((await client.chat(hello, { ...bearer(pixelToken), 'x-user-id': 'u-2' })).status).toBe(403);
    const own = await client.chat(hello, { ...bearer(pixelToken), 'x-user-id': 'u-1' });
    expect(own.status).toBe(200);
    const implied = await client.chat(hello, bearer(pixelToken));
    expect(implied.status).toBe(200);
    const usage = await client.request('/v1/tenants/pixel-labs/usage?groupBy=user', {
      headers: bearer(pixelToken),
    });
    const groups = usage.json<{ groups: { user: Array<{ key: string }> } }>().groups.user;
    expect(groups.map((group) => group.key)).toEqual(['u-1']);
  });

  it('keeps an old token working through its grace period after a rotation, then refuses it', async () => {
    const old = 'tok-rotate-old-7b9d1f3a5c7e';
    const next = 'tok-rotate-new-2e4a6c8e0b1d';
    server.service.tokens.add({ token: old, tenantId: 'acme-bank' });
    server.service.tokens.rotate(old, next, { graceMs: 400 });
    expect((await client.request('/v1/tenants/acme-bank/usage', { headers: bearer(old) })).status).toBe(200);
    expect((await client.request('/v1/tenants/acme-bank/usage', { headers: bearer(next) })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await client.request('/v1/tenants/acme-bank/usage', { headers: bearer(old) })).status).toBe(401);
    expect((await client.request('/v1/tenants/acme-bank/usage', { headers: bearer(next) })).status).toBe(200);
  });
});

describe('paths that try to name the caller and someone else', () => {
  it('never answers another tenant through encoded slashes, case, look-alikes or dot segments', async () => {
    const tricks = [
      '/v1/tenants/acme%2Dbank/usage',
      '/v1/tenants/pixel-labs%2F..%2Facme-bank/usage',
      '/v1/tenants/pixel-labs%2f..%2facme-bank/invoice',
      '/v1/tenants/PIXEL-LABS/usage',
      '/v1/tenants/ACME-BANK/usage',
      '/v1/tenants/pixel%E2%80%90labs/usage',
      '/v1/tenants/%EF%BD%90ixel-labs/usage',
      '/v1/tenants/pixel-labs%00/usage',
      '/v1/tenants/acme-bank%20/usage',
    ];
    for (const path of tricks) {
      const answer = await client.request(path, { headers: bearer(pixelToken) });
      expect([403, 404], path).toContain(answer.status);
      noAcmeData(answer.text);
    }
    // Dot segments that a client would normalise away, sent raw.
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = request(`${server.url}/v1/tenants/pixel-labs/../acme-bank/usage`, {
        headers: bearer(pixelToken),
        // Keep the path as written.
        path: '/v1/tenants/pixel-labs/../acme-bank/usage',
      });
      outgoing.on('response', (incoming) => {
        let body = '';
        incoming.on('data', (chunk) => (body += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect([403, 404]).toContain(raw.status);
    noAcmeData(raw.body);
  });
});

describe('bodies and streams', () => {
  it('refuses a huge body (413)', async () => {
    const huge = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(200 * 1024) }] });
    expect((await client.chat(huge, bearer(acmeToken))).status).toBe(413);
  });

  it('gives up on a body that arrives too slowly (408) and closes the connection', async () => {
    const { port } = server;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        `POST /v1/chat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${acmeToken}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"mess`,
      );
      // Then nothing more: a stalled client.
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('request_timeout');
  });

  it('limits the streams one caller may hold open (429 with Retry-After)', async () => {
    const open = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${server.url}/v1/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(limitedToken) },
          body: JSON.stringify({ ...hello, stream: true }),
        }),
      ),
    );
    const statuses = open.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    const refused = open.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await Promise.all(open.map((response) => response.text()));
    // Once they end, the caller may stream again.
    const again = await client.chat({ ...hello, stream: true }, bearer(limitedToken));
    expect(again.status).toBe(200);
  });

  it('aborts and meters the call when the client hangs up mid-stream', async () => {
    const before = emulator.counters.total().aborted;
    await new Promise<void>((resolve, reject) => {
      const outgoing = request(`${server.url}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(acmeToken) },
      });
      outgoing.on('response', (incoming) =>
        incoming.once('data', () => {
          outgoing.destroy();
          resolve();
        }),
      );
      outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
      outgoing.end(JSON.stringify({ ...hello, stream: true }));
    });
    await expect.poll(() => emulator.counters.total().aborted).toBe(before + 1);
    await expect
      .poll(async () => {
        await server.service.meter.flush();
        const records = JSON.parse(await server.service.usage.exportTenant('acme-bank', 'json')) as Array<{
          status: string;
        }>;
        return records.filter((record) => record.status === 'aborted').length;
      })
      .toBe(1);
  });
});

describe('request rate per caller', () => {
  it('answers 429 with Retry-After once a token has used its rate', async () => {
    const limited = await startServer({
      port: 0,
      providers: [
        { provider: 'openai', baseURL: emulator.urls.openai, keys: [{ id: 'k', secret: providerSecret }] },
      ],
      tenants: [{ id: 'pixel-labs', tier: 'standard' }],
      apiTokens: [{ token: limitedToken, tenantId: 'pixel-labs' }],
      callerLimits: { requestsPerMinute: 60, burst: 3 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const answer = await fetch(`${limited.url}/v1/tenants/pixel-labs/usage`, {
          headers: bearer(limitedToken),
        });
        statuses.push(answer.status);
        if (answer.status === 429) {
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
        } else await answer.text();
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('secrets', () => {
  it('never shows a token or a provider key in an answer or in the log', () => {
    const everything = [...client.seen, ...freshClient.seen].map(
      (seen) => `${JSON.stringify(seen.headers)} ${seen.text}`,
    );
    expect(everything.length).toBeGreaterThan(20);
    for (const secret of allSecrets) {
      for (const text of [...everything, ...logged]) expect(text).not.toContain(secret);
    }
  });
});
