// What @forge1/telemetry adds to a request: the same gateway without telemetry, with the spans
// middleware, the event metrics and the router wrapper on the no-op OpenTelemetry API (no SDK
// registered), and with the real SDKs recording every span and metric. One run, alternating rounds.
// Run after `npm run build` (every package): node bench/telemetry.bench.ts
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createGateway, createTenantDirectory, type Gateway, type GatewayChatInput } from '@forge1/core';
import { createScriptedAdapter, createStaticKeyPool, createStaticRouter } from '@forge1/core/testing';
import { instrument, instrumentRouter, telemetryMiddleware } from '@forge1/telemetry';
import type {
  MeterProvider as MeterProviderApi,
  TracerProvider as TracerProviderApi,
} from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { fmt, percentiles, writeSection } from './report.ts';

const ROUNDS = Number(process.env.TELEMETRY_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.TELEMETRY_PER_ROUND ?? 10_000);
const WARM_UP = 10_000;
const loadAtStart = loadavg()[0] ?? 0;

const input: GatewayChatInput = {
  tenant: 'bench-co',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
};

/** Drops every batch: the SDK still builds, processes and exports each span. */
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

interface Variant {
  gateway: Gateway;
  close(): Promise<void>;
}

function build(telemetry: 'none' | 'noop' | 'sdk'): Variant {
  let tracerProvider: TracerProviderApi | undefined;
  let meterProvider: MeterProviderApi | undefined;
  let shutdown = async () => {};
  if (telemetry === 'sdk') {
    const tracing = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 100_000, scheduledDelayMillis: 200 })],
    });
    const reader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 60_000,
    });
    const metering = new MeterProvider({ readers: [reader] });
    tracerProvider = tracing;
    meterProvider = metering;
    shutdown = async () => {
      await tracing.shutdown();
      await metering.shutdown();
    };
  }
  const router = createStaticRouter({ provider: 'openai', model: 'gpt-4.1-nano' });
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [{ id: 'bench-co', tier: 'enterprise', limits: { dailyRequests: 1e9 } }],
    }),
    router: telemetry === 'none' ? router : instrumentRouter(router, meterProvider ? { meterProvider } : {}),
    keys: createStaticKeyPool(4),
    providers: {
      openai: createScriptedAdapter('openai', () => ({ text: 'Paris.', inputTokens: 12, outputTokens: 3 })),
    },
    ...(telemetry === 'none'
      ? {}
      : { middleware: [telemetryMiddleware(tracerProvider ? { tracerProvider } : {})] }),
  });
  const stop =
    telemetry === 'none' ? () => {} : instrument(gateway, meterProvider ? { meterProvider } : {}).stop;
  return {
    gateway,
    async close() {
      stop();
      await gateway.close();
      await shutdown();
    },
  };
}

async function time(gateway: Gateway, count: number, samples: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await gateway.chat(input);
    samples.push((performance.now() - started) * 1000);
  }
}

const variants = ['none', 'noop', 'sdk'] as const;
const samples = { none: [] as number[], noop: [] as number[], sdk: [] as number[] };

for (const variant of variants) {
  const warm = build(variant);
  await time(warm.gateway, WARM_UP, []);
  await warm.close();
}
// Rounds alternate so that drift of the shared machine hits every variant alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of round % 2 ? [...variants].reverse() : variants) {
    const built = build(variant);
    await time(built.gateway, 500, []);
    await time(built.gateway, PER_ROUND, samples[variant]);
    await built.close();
  }
}

const stats = {
  none: percentiles(samples.none),
  noop: percentiles(samples.noop),
  sdk: percentiles(samples.sdk),
};
const added = (variant: 'noop' | 'sdk') => ({
  p50: stats[variant].p50 - stats.none.p50,
  p99: stats[variant].p99 - stats.none.p99,
});
const rows = [
  ['gateway.chat without telemetry', stats.none],
  ['… + telemetry, no-op API (no SDK registered)', stats.noop],
  ['… + telemetry, SDK recording (batch span processor, metric reader)', stats.sdk],
] as const;
const table = [
  '| path | median µs | p99 µs | mean µs |',
  '|---|---|---|---|',
  ...rows.map(([name, s]) => `| ${name} | ${[s.p50, s.p99, s.mean].map((v) => fmt(v, 1)).join(' | ')} |`),
].join('\n');
const noop = added('noop');
const sdk = added('sdk');
const markdown = `
${table}

**Added by telemetry: ${fmt(noop.p50, 1)} µs median (${fmt(noop.p99, 1)} µs p99) with the no-op API;
${fmt(sdk.p50, 1)} µs median (${fmt(sdk.p99, 1)} µs p99) with the SDK recording.** Goal: ≤ 5 µs median
with the no-op API.

"Telemetry" is all of it: \`telemetryMiddleware()\` (a request span and an attempt span),
\`instrument(gateway)\` (every event metric) and \`instrumentRouter()\` (decision latency). The
gateway runs core's test doubles (a static router, a static key pool, a scripted adapter that
answers at once) so that the difference is the telemetry's. The SDK variant exports spans through
a \`BatchSpanProcessor\` to an exporter that drops them, and keeps metrics in a
\`PeriodicExportingMetricReader\`. ${ROUNDS} alternating rounds of ${fmt(PER_ROUND, 0)} sequential
requests per variant after ${fmt(WARM_UP, 0)} warm-up requests each, on fresh gateways each round;
latency is timed per call with \`performance.now()\` (load average ${fmt(loadAtStart, 1)} when this
run started).
`;

writeSection('telemetry', 'Telemetry: what instrument() and the spans middleware add per request', markdown);
console.log(markdown);
