import { inspect } from 'node:util';
import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import {
  createEventBus,
  createGateway,
  createTenantDirectory,
  type Gateway,
  type GatewayResult,
} from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createMemorySink, createMeter } from '@forge1/metering';
import { createRouter } from '@forge1/router';
import { instrument, instrumentRouter, MetricNames, telemetryMiddleware } from '@forge1/telemetry';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtelHarness, type Point } from '../packages/telemetry/test/otel-harness.ts';

// The whole stack (real router, key pool, SDK adapters against the provider emulator, meter) with
// telemetry: spans and metrics as a host would see them, and a scan of every exported byte for
// secrets and prompt text.
const secrets = {
  openai: ['sk-e2e-telemetry-openai-1-5f3a9c', 'sk-e2e-telemetry-openai-2-8b1d7e'],
  anthropic: ['sk-ant-e2e-telemetry-1-2c4e6a'],
  google: ['AIzaE2eTelemetryGoogle1-9d8c7b6a'],
};
const promptMark = 'PROMPT-MARK-7731';
const easy = `Where is my order ${promptMark}?`;
const hard =
  `Our SOX audit found a compliance gap in revenue recognition (${promptMark}). ` +
  'Analyse the liability and design a remediation plan with trade-offs.';

const harness = createOtelHarness();
let emulator: ProviderEmulator;
let gateway: Gateway;
let points: Point[] = [];
const outcomes: Record<string, unknown> = {};

beforeAll(async () => {
  emulator = await startProviderEmulator({ seed: 7 });
  const events = createEventBus();
  const resilience = { events, retry: false as const };
  const providers = {
    openai: withResilience(openai({ baseURL: emulator.urls.openai }), resilience),
    anthropic: withResilience(anthropic({ baseURL: emulator.urls.anthropic }), resilience),
    google: withResilience(google({ baseURL: emulator.urls.google }), resilience),
  };
  const keys = createKeyPool({
    keys: Object.entries(secrets).flatMap(([provider, list]) =>
      list.map((secret, index) => ({
        id: `${provider}-${index + 1}`,
        provider,
        secret,
        rpm: 10_000,
        tpm: 10_000_000,
      })),
    ),
    events,
    signals: false,
  });
  const meter = createMeter({ sinks: [createMemorySink()], journal: false, events });
  gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [
        { id: 'acme-bank', tier: 'enterprise', industry: 'finance' },
        { id: 'pixel-labs', tier: 'professional', industry: 'tech' },
      ],
    }),
    router: instrumentRouter(createRouter({ providers: Object.keys(providers) }), {
      meterProvider: harness.meterProvider,
    }),
    keys,
    providers,
    meter,
    events,
    middleware: [telemetryMiddleware({ tracerProvider: harness.tracerProvider })],
  });
  instrument(gateway, { meterProvider: harness.meterProvider, keyPool: keys, meter });

  const ask = (tenant: string, content: string) => ({
    tenant,
    messages: [{ role: 'user' as const, content }],
  });
  outcomes.chat = await gateway.chat(ask('acme-bank', easy));
  const stream = gateway.stream(ask('pixel-labs', easy));
  for await (const _chunk of stream) {
    // drained: the span closes when the stream ends
  }
  outcomes.stream = await stream.final();
  outcomes.hard = await gateway.chat(ask('pixel-labs', hard));
  // The provider that served the first chat is down: the same request falls back to another.
  const first = (outcomes.chat as GatewayResult).provider as 'openai' | 'anthropic' | 'google';
  emulator.setFaults([{ name: 'first-down', match: { provider: first }, kind: 'status', status: 500 }]);
  outcomes.fallback = await gateway.chat(ask('acme-bank', easy));
  // Every provider down: the request fails after trying each.
  emulator.setFaults([{ name: 'outage', kind: 'status', status: 500 }]);
  outcomes.error = await gateway.chat(ask('acme-bank', easy)).catch((error: unknown) => error);
  emulator.setFaults([]);
  await meter.flush();
  points = await harness.points();
});

afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
  await harness.shutdown();
});

const requestSpans = () => harness.spans().filter((span) => span.parentSpanContext === undefined);

describe('telemetry across the stack', () => {
  it('traces each request with one child span per provider attempt', () => {
    const requests = requestSpans();
    expect(requests).toHaveLength(5);
    for (const request of requests) {
      const children = harness
        .spans()
        .filter((span) => span.parentSpanContext?.spanId === request.spanContext().spanId);
      expect(children.length).toBeGreaterThan(0);
      expect(request.attributes['forge1.attempts'] ?? children.length).toBe(children.length);
      for (const child of children) {
        expect(child.name).toBe(`chat ${String(child.attributes['gen_ai.request.model'])}`);
        expect(child.attributes['gen_ai.operation.name']).toBe('chat');
        expect(typeof child.attributes['forge1.key.id']).toBe('string');
      }
    }
  });

  it('names the provider by the conventions’ values and the stream as a stream', () => {
    const providers = new Set(harness.spans().map((span) => span.attributes['gen_ai.provider.name']));
    for (const provider of providers) expect(['openai', 'anthropic', 'gcp.gemini']).toContain(provider);
    expect(requestSpans().filter((span) => span.attributes['gen_ai.request.stream'] === true)).toHaveLength(
      1,
    );
  });

  it('traces a fallback: the failed attempt with error.type, the request flagged fallback', () => {
    expect((outcomes.fallback as { fellBack: boolean }).fellBack).toBe(true);
    const request = requestSpans().find((span) => span.attributes['forge1.fallback'] === true);
    expect(request?.attributes['gen_ai.request.model']).toBe((outcomes.chat as GatewayResult).model);
    expect(request?.attributes['gen_ai.response.model']).not.toBe((outcomes.chat as GatewayResult).model);
    const attempts = harness
      .spans()
      .filter((span) => span.parentSpanContext?.spanId === request?.spanContext().spanId);
    expect(attempts.map((span) => span.attributes['error.type'])).toEqual([
      'provider_unavailable',
      undefined,
    ]);
    expect(attempts[1]?.attributes['forge1.fallback']).toBe(true);
  });

  it('marks the failed request with error.type and an error status', () => {
    const failed = requestSpans().filter((span) => span.status.code === SpanStatusCode.ERROR);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attributes['error.type']).toBe((outcomes.error as { code: string }).code);
  });

  it('records the GenAI histograms and the per-tenant figures', () => {
    const names = new Set(points.map((point) => point.name));
    for (const name of [
      MetricNames.tokenUsage,
      MetricNames.operationDuration,
      MetricNames.requests,
      MetricNames.cost,
      MetricNames.routerDecisionDuration,
      MetricNames.routerDecisions,
      MetricNames.keyUtilization,
      MetricNames.sinkLag,
    ]) {
      expect(names).toContain(name);
    }
    const tenants = new Set(
      points
        .filter((point) => point.name === MetricNames.requests)
        .map((point) => point.attributes['forge1.tenant']),
    );
    expect(tenants).toEqual(new Set(['acme-bank', 'pixel-labs']));
  });

  it('exports no secret and no prompt or answer text in any span or metric', () => {
    const exported = [
      ...harness.spans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
        resource: span.resource.attributes,
      })),
      ...points,
    ];
    const text = `${JSON.stringify(exported)}\n${inspect(exported, { depth: 12 })}`;
    for (const secret of Object.values(secrets).flat()) expect(text).not.toContain(secret);
    expect(text).not.toContain(promptMark);
    expect(text).not.toContain('Where is my order');
    expect(text).not.toContain('gen_ai.input.messages');
    expect(text).not.toContain('gen_ai.output.messages');
  });
});
