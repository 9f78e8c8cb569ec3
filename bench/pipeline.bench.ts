// Overhead of the whole pipeline: gateway.chat through the real router, key pool, resilient
// adapter and meter, against the same in-process adapter called directly, in one run.
// Run after `npm run build` (every package): node bench/pipeline.bench.ts
// Profile: node --cpu-prof --cpu-prof-dir=.profile bench/pipeline.bench.ts
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { withResilience } from '@forge1/adapters';
import {
  type ChatResult,
  createEventBus,
  createGateway,
  createTenantDirectory,
  type Gateway,
  type GatewayChatInput,
  type ProviderAdapterV1,
  type ProviderCall,
  type ProviderChatRequest,
  Secret,
} from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createGuard, createMemorySink, createMeter } from '@forge1/metering';
import { createRouter } from '@forge1/router';
import { fmt, percentiles, writeSection } from './report.ts';

// The machine is shared: its load says how far these figures are from a quiet run.
const loadAtStart = loadavg()[0] ?? 0;
const ROUNDS = Number(process.env.PIPELINE_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.PIPELINE_PER_ROUND ?? 15_000);
const WARM_UP = 20_000;

const answer =
  'The capital of France is Paris. It has been the seat of the French government for centuries, ' +
  'and it is also the largest city of the country.';

/** Answers at once with fixed text and usage, like a provider with zero latency. */
const instant: ProviderAdapterV1 = {
  specificationVersion: 'v1',
  provider: 'openai',
  async chat(request: ProviderChatRequest): Promise<ChatResult> {
    return {
      text: answer,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 30, cachedInputTokens: 0 },
      provider: 'openai',
      model: request.model,
      latencyMs: 0,
    };
  },
  async *stream() {
    yield {
      type: 'finish' as const,
      finishReason: 'stop' as const,
      usage: { inputTokens: 12, outputTokens: 30, cachedInputTokens: 0 },
      provider: 'openai',
      model: 'gpt-4o-mini',
    };
  },
};

const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }];
const directRequest: ProviderChatRequest = { model: 'gpt-4o-mini', messages };
const directCall: ProviderCall = { apiKey: new Secret('sk-bench-direct-0000'), keyId: 'direct' };
const input: GatewayChatInput = { tenant: 'bench-co', employee: 'e-1', user: 'u-1', messages };

function buildGateway(withGuard: boolean): { gateway: Gateway; close: () => Promise<void> } {
  const events = createEventBus();
  const keys = createKeyPool({
    keys: Array.from({ length: 4 }, (_, index) => ({
      id: `bench-key-${index + 1}`,
      provider: 'openai',
      secret: `sk-bench-${index + 1}-0000000000`,
      rpm: 1_000_000_000,
      tpm: 1_000_000_000_000,
    })),
    events,
    signals: false,
  });
  const router = createRouter({ providers: ['openai'] });
  const meter = createMeter({ sinks: [createMemorySink()], journal: false, maxBuffered: 1_000_000, events });
  const tenants = createTenantDirectory({
    tenants: [{ id: 'bench-co', tier: 'enterprise', industry: 'general', limits: { dailyRequests: 1e9 } }],
  });
  const gateway = createGateway({
    tenants,
    router,
    keys,
    providers: { openai: withResilience(instant, { events }) },
    meter,
    ...(withGuard ? { guard: createGuard({ events }) } : {}),
    events,
  });
  return { gateway, close: () => gateway.close() };
}

async function timeDirect(count: number, samples: number[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await instant.chat(directRequest, directCall);
    samples.push((performance.now() - t) * 1000);
  }
  return performance.now() - start;
}

async function timeGateway(gateway: Gateway, count: number, samples: number[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const result = await gateway.chat(input);
    samples.push((performance.now() - t) * 1000);
    if (result.attempts.length !== 1) throw new Error(`expected one attempt, got ${result.attempts.length}`);
  }
  return performance.now() - start;
}

interface Measured {
  samples: number[];
  ms: number;
}
const fresh = (): Measured => ({ samples: [], ms: 0 });

const direct = fresh();
const pipeline = fresh();
const withGuard = fresh();

// Warm-up: JIT, caches, lazy breaker creation.
{
  const warm = buildGateway(false);
  const warmGuarded = buildGateway(true);
  await timeDirect(WARM_UP, []);
  await timeGateway(warm.gateway, WARM_UP, []);
  await timeGateway(warmGuarded.gateway, WARM_UP / 4, []);
  await warm.close();
  await warmGuarded.close();
}

// Rounds alternate so that drift of the shared machine hits every variant alike. Each round builds
// fresh gateways, so the memory sink holds one round's records at most (it keeps every record).
for (let round = 0; round < ROUNDS; round++) {
  const plain = buildGateway(false);
  const guarded = buildGateway(true);
  await timeGateway(plain.gateway, 1_000, []);
  await timeGateway(guarded.gateway, 1_000, []);
  direct.ms += await timeDirect(PER_ROUND, direct.samples);
  pipeline.ms += await timeGateway(plain.gateway, PER_ROUND, pipeline.samples);
  withGuard.ms += await timeGateway(guarded.gateway, PER_ROUND / 3, withGuard.samples);
  await plain.close();
  await guarded.close();
}

const d = percentiles(direct.samples);
const p = percentiles(pipeline.samples);
const g = percentiles(withGuard.samples);
const rate = (m: Measured) => (m.samples.length / m.ms) * 1000;
const rows = [
  ['adapter called directly', d, rate(direct)],
  ['gateway.chat: router + key pool + resilience + meter', p, rate(pipeline)],
  ['… + guard (memory counters)', g, rate(withGuard)],
] as const;

const table = [
  '| path | median µs | p99 µs | mean µs | requests/s (one core, sequential) |',
  '|---|---|---|---|---|',
  ...rows.map(([name, stats, perSecond]) => {
    const cells = [stats.p50, stats.p99, stats.mean].map((v) => fmt(v, 1));
    return `| ${name} | ${cells.join(' | ')} | ${fmt(perSecond, 0)} |`;
  }),
].join('\n');

const added = { p50: p.p50 - d.p50, p99: p.p99 - d.p99 };
const addedGuard = { p50: g.p50 - d.p50, p99: g.p99 - d.p99 };
const markdown = `
${table}

**Added by the pipeline: ${fmt(added.p50, 1)} µs median, ${fmt(added.p99, 1)} µs p99 per request;
${fmt(rate(pipeline), 0)} requests/s** (with the guard: ${fmt(addedGuard.p50, 1)} µs median,
${fmt(addedGuard.p99, 1)} µs p99). Targets: ≤ 30 µs median added, ≥ 30 000 requests/s. Load average
${fmt(loadAtStart, 1)} when this run started (the machine is shared).

The adapter answers at once with fixed text and usage (an in-process \`ProviderAdapterV1\`). The
gateway runs \`createRouter({ providers: ['openai'] })\` (analysis, selection, judge),
\`createKeyPool\` (4 keys, limits far above the load, memory store, signals off),
\`withResilience\` (default retry and breaker) and \`createMeter\` with a **memory sink and
\`journal: false\`** (validation and buffering; no disk), on an enterprise tenant and a short
prompt, so each request is one attempt. ${ROUNDS} alternating rounds of ${fmt(PER_ROUND, 0)}
sequential requests per variant after ${fmt(WARM_UP, 0)} warm-up requests, on fresh gateways
each round (1 000 warm-up requests each); the guard variant runs a third as many. Latency is timed per call with \`performance.now()\`; requests/s is calls over the
wall time of the sequential loops.
`;

writeSection('pipeline', 'Pipeline overhead: gateway.chat against the adapter alone', markdown);
console.log(markdown);
