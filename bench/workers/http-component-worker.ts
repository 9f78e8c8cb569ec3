import { Session } from 'node:inspector/promises';
import { withResilience } from '@forge1/adapters';
import { openai } from '@forge1/adapters/openai';
import {
  createEventBus,
  createGateway,
  createTenantDirectory,
  type RouterV1,
  Secret,
  systemClock,
} from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createGuard, createMeter, createSqliteSink, createUsageStore } from '@forge1/metering';
import { createRouter } from '@forge1/router';
import { instrumentRouter, telemetryMiddleware } from '@forge1/telemetry';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { createCallerResolver } from '../../examples/http-service/src/caller.ts';
import { createCallerLimits } from '../../examples/http-service/src/caller-limits.ts';
import { toChatAnswer } from '../../examples/http-service/src/chat-body.ts';
import { chatHandler } from '../../examples/http-service/src/chat-route.ts';
import { sendError, toHttpError } from '../../examples/http-service/src/http-error.ts';
import { createMetricsEndpoint } from '../../examples/http-service/src/metrics-route.ts';
import { minimalCompletion as answer } from '../../examples/http-service/src/minimal-completion.ts';
import { cacheTenants } from '../../examples/http-service/src/tenant-cache.ts';

// One variant of bench/http-components.bench.ts in its own process: examples/http-service's
// wiring (app.ts) with some parts left out, driven through app.fetch at 50 concurrent requests,
// the OpenAI SDK over a fetch that answers the minimal upstream's completion in the next turn
// of the event loop (no socket: what is measured is the process's own work on a request).
// Usage: node bench/workers/http-component-worker.ts <parts> <requests>; prints one JSON line
// { cpuUs, bytes } per request. <parts>: `reference` (the bare SDK route of
// bench/http-reference-server.ts), `adapter` / `resilient` (the route calling the OpenAI adapter
// alone / wrapped in withResilience), or the gateway with a comma list of what it keeps, from
// `router` (else a fixed decision), `meter`, `guard`, `telemetry`, `route` (the service's chat
// route, else a bare one); `all` is all five, as the service runs.

const upstream = (async () => {
  await new Promise((resolve) => setImmediate(resolve));
  return new Response(answer, { headers: { 'content-type': 'application/json' } });
}) as typeof fetch;
const baseURL = 'http://127.0.0.1:9/v1';
const secret = 'sk-bench-local-0000000000';
const fixedRouter: RouterV1 = {
  specificationVersion: 'v1',
  decide: () => ({
    provider: 'openai',
    model: 'gpt-4o-mini',
    fallbacks: [],
    level: 'simple',
    score: 0.1,
    reasons: [],
    ladder: [],
    estimatedCostMicros: 1,
  }),
  judge: () => ({ escalate: false, confidence: 1, reasons: [] }),
};

type Body = { messages: OpenAI.ChatCompletionMessageParam[]; model?: string };

async function build(parts: string): Promise<Hono> {
  const app = new Hono();
  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL, maxRetries: 0, fetch: upstream });
  if (parts === 'reference') {
    const sdk = client(secret);
    app.post('/v1/chat', async (c) => {
      const body = (await c.req.json()) as Body;
      const completion = await sdk.chat.completions.create({
        model: body.model ?? 'gpt-4o-mini',
        messages: body.messages,
      });
      const choice = completion.choices[0];
      return c.json({ id: completion.id, text: choice?.message.content ?? '', usage: completion.usage });
    });
    return app;
  }
  const events = createEventBus();
  const bare = openai({ baseURL, createClient: client });
  const adapter = parts === 'adapter' ? bare : withResilience(bare, { events });
  if (parts === 'adapter' || parts === 'resilient') {
    const key = new Secret(secret);
    app.post('/v1/chat', async (c) => {
      const body = (await c.req.json()) as Body;
      const result = await adapter.chat(
        { model: body.model ?? 'gpt-4o-mini', messages: body.messages as never },
        { apiKey: key, keyId: 'bench', timeoutMs: 60_000 },
      );
      return c.json({ text: result.text, usage: result.usage });
    });
    return app;
  }
  const has = (part: string) => parts === 'all' || parts.split(',').includes(part);
  const clock = systemClock;
  const tenants = cacheTenants(
    createTenantDirectory({
      tenants: [{ id: 'bench', tier: 'enterprise', limits: { dailyRequests: 1_000_000_000 } }],
    }),
  );
  const keys = createKeyPool({
    keys: [{ id: 'bench', provider: 'openai', secret: new Secret(secret), rpm: 1e8, tpm: 1e10 }],
    events,
    clock,
    providers: ['openai'],
  });
  await keys.ready();
  const router = has('router')
    ? await createRouter({ cascade: { enabled: false }, providers: ['openai'] })
    : fixedRouter;
  const sink = await createSqliteSink({ path: ':memory:' });
  const meter = has('meter')
    ? createMeter({ sinks: [sink], journal: false, events, clock, batchSize: 100, flushIntervalMs: 250 })
    : undefined;
  await meter?.ready();
  const guard = has('guard')
    ? createGuard({ usage: createUsageStore({ database: sink.database }), events, clock })
    : undefined;
  const metrics = createMetricsEndpoint({ open: true });
  const telemetry = has('telemetry');
  const gateway = createGateway({
    tenants,
    router: telemetry ? instrumentRouter(router, { meterProvider: metrics.meterProvider }) : router,
    middleware: telemetry ? [telemetryMiddleware()] : [],
    keys,
    providers: { openai: adapter },
    ...(meter ? { meter } : {}),
    ...(guard ? { guard } : {}),
    events,
    clock,
  });
  if (telemetry) {
    metrics.watch(gateway, {
      keyPool: keys,
      ...(meter ? { meter } : {}),
      ...(guard ? { guard } : {}),
      tenants,
    });
  }
  if (has('route')) {
    const fail = (error: unknown) => sendError(toHttpError(error, { secrets: [], now: clock.now() }));
    const handler = chatHandler({
      gateway,
      resolveCaller: createCallerResolver({ trustTenantHeader: true }),
      fail,
      body: { maxBytes: 1 << 20, timeoutMs: 10_000 },
      limits: createCallerLimits({ requestsPerMinute: 1_000_000_000, clock }),
    });
    app.post('/v1/chat', handler);
  } else {
    app.post('/v1/chat', async (c) => {
      const body = (await c.req.json()) as Record<string, unknown>;
      return c.json(toChatAnswer(await gateway.chat({ ...body, tenant: 'bench', user: 'load' } as never)));
    });
  }
  return app;
}

const [parts = 'all', count = '20000'] = process.argv.slice(2);
const requests = Number(count);
const app = await build(parts);
const body = JSON.stringify({ messages: [{ role: 'user', content: 'Where is my order #4471?' }] });
const headers = { 'content-type': 'application/json', 'x-tenant-id': 'bench', 'x-user-id': 'load' };
const one = async () => {
  const response = await app.fetch(
    new Request('http://localhost/v1/chat', { method: 'POST', body, headers }),
  );
  if (response.status !== 200) throw new Error(`${parts}: ${response.status} ${await response.text()}`);
  await response.text();
};
const load = async (total: number) => {
  let left = total;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (left-- > 0) await one();
    }),
  );
};

await load(5000);
const before = process.cpuUsage();
await load(requests);
const spent = process.cpuUsage(before);
// Bytes allocated per request, objects collected since included (the sampling heap profiler).
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
} as never);
const sampled = Math.min(requests, 3000);
await load(sampled);
type Sample = { selfSize: number; children: Sample[] };
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: Sample } };
const total = (node: Sample): number =>
  node.children.reduce((sum, child) => sum + total(child), node.selfSize);
console.log(
  JSON.stringify({ cpuUs: (spent.user + spent.system) / requests, bytes: total(profile.head) / sampled }),
);
process.exit(0);
