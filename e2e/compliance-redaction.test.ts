import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { anthropic } from '@forge1/adapters/anthropic';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import {
  createAuditStore,
  createAuditTrail,
  createRedactor,
  openSqliteAuditDatabase,
} from '@forge1/compliance';
import { createGateway, createTenantDirectory, type Gateway, type ProviderAdapterV1 } from '@forge1/core';
import { createStaticKeyPool, createStaticRouter } from '@forge1/core/testing';
import { createMeter, createSqliteSink, createUsageStore } from '@forge1/metering';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textWithPlantedValues } from '../packages/compliance/test/planted-values.ts';

// The real adapters talk to the provider emulator through a proxy that keeps every request body
// it forwards: what the proxy saw is what a provider would have received.
interface CapturingProxy {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

async function startCapturingProxy(target: string): Promise<CapturingProxy> {
  const bodies: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const body = Buffer.concat(parts).toString('utf8');
    bodies.push(body);
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
      ),
    );
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method ?? 'POST',
      headers,
      ...(body ? { body } : {}),
    });
    response.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    if (upstream.body) Readable.fromWeb(upstream.body as never).pipe(response);
    else response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const models = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  google: 'gemini-2.0-flash',
} as const;
type Provider = keyof typeof models;

describe('redaction in front of real provider adapters', () => {
  let emulator: ProviderEmulator;
  let proxy: CapturingProxy;
  const gateways = new Map<Provider, Gateway>();
  const audit = createAuditStore({ database: openSqliteAuditDatabase() });
  const sink = createSqliteSink();
  const meter = createMeter({ sinks: [sink], journal: false, flushIntervalMs: 10 });

  beforeAll(async () => {
    emulator = await startProviderEmulator({ seed: 7 });
    proxy = await startCapturingProxy(emulator.url);
    const adapters: Record<Provider, ProviderAdapterV1> = {
      openai: openai({ baseURL: `${proxy.url}/v1` }),
      anthropic: anthropic({ baseURL: proxy.url }),
      google: google({ baseURL: proxy.url }),
    };
    const redactor = createRedactor({
      detectors: {
        email: 'tokenize',
        phone: 'tokenize',
        iban: 'tokenize',
        ip: 'mask',
        ssn: 'mask',
        secret: 'mask',
        paymentCard: 'tokenize',
      },
    });
    for (const provider of Object.keys(models) as Provider[]) {
      gateways.set(
        provider,
        createGateway({
          tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
          router: createStaticRouter({
            provider,
            model: models[provider],
            level: 'simple',
            ladder: [],
            fallbacks: [],
          }),
          keys: createStaticKeyPool(),
          providers: { [provider]: adapters[provider] },
          meter,
          middleware: [createAuditTrail({ store: audit, redactor }), redactor],
        }),
      );
    }
  });
  afterAll(async () => {
    for (const gateway of gateways.values()) await gateway.close();
    await meter.close();
    await proxy.close();
    await emulator.close();
    await audit.close();
  });

  it('sends no detected value to any provider, in chat and in stream', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        textWithPlantedValues,
        fc.constantFrom(...(Object.keys(models) as Provider[])),
        async ({ text, planted }, provider) => {
          const gateway = gateways.get(provider)!;
          const before = proxy.bodies.length;
          const messages = [
            { role: 'system' as const, content: 'You help the support team.' },
            { role: 'user' as const, content: text },
          ];
          const answer = await gateway.chat({ tenant: 'acme', user: 'agent-1', messages });
          expect(answer.text.length).toBeGreaterThan(0);
          const stream = gateway.stream({ tenant: 'acme', user: 'agent-1', messages });
          for await (const _ of stream) {
            // Drain the stream: the request went out when it started.
          }
          await stream.final();
          const sent = proxy.bodies.slice(before);
          expect(sent.length).toBeGreaterThanOrEqual(2);
          for (const body of sent) {
            for (const { value } of planted) expect(body).not.toContain(value);
          }
          expect(sent.join('\n')).toMatch(/\[(?:[A-Z_]+_\d+|REDACTED_[A-Z_]+)\]/);
        },
      ),
      { numRuns: 15 },
    );
    expect(await audit.verify('acme')).toMatchObject({ ok: true, entries: 30 });
    // Counts per detector reached the stored usage records; values did not.
    await meter.flush();
    const stored = JSON.parse(
      await createUsageStore({ database: sink.database }).exportTenant('acme', 'json'),
    ) as Array<{
      annotations?: Record<string, number>;
    }>;
    expect(stored.length).toBeGreaterThanOrEqual(30);
    expect(
      stored.some((record) =>
        Object.keys(record.annotations ?? {}).some((name) => name.startsWith('redacted.')),
      ),
    ).toBe(true);
  });
});
