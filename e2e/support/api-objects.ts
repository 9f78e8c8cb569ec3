import { join } from 'node:path';
import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import {
  createAuditStore,
  createAuditTrail,
  createRedactor,
  createRetention,
  createScanner,
  createStreamRestorer,
  createVault,
  openSqliteAuditDatabase,
  patternDetector,
  secretDetector,
} from '@forge1/compliance';
import { openPostgresAuditDatabase } from '@forge1/compliance/postgres';
import {
  createCatalog,
  createEventBus,
  createGateway,
  createMemoryTenantStore,
  createTenantDirectory,
  ErrorCode,
  Forge1Error,
} from '@forge1/core';
import { createRedisConnection } from '@forge1/core/redis';
import { createRecordingMeter, createScriptedAdapter, createStaticRouter } from '@forge1/core/testing';
import { createKeyPool, createMemoryStateStore } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import {
  createGuard,
  createJsonlSink,
  createMemoryCounterStore,
  createMemorySink,
  createMeter,
  createSqliteSink,
  createUsageStore,
  createWebhookSink,
  openSqliteUsageDatabase,
} from '@forge1/metering';
import { createPostgresSink, openPostgresUsageDatabase } from '@forge1/metering/postgres';
import { createRedisCounterStore } from '@forge1/metering/redis';
import {
  createArithmeticVerifier,
  createBuiltInVerifiers,
  createMemoryLearnerStore,
  createOnlineLearner,
  createRouter,
  createStatsRecorder,
  priorWeights,
} from '@forge1/router';
import { createRedisLearnerStore } from '@forge1/router/redis';
import { instrument, instrumentRouter, telemetryMiddleware } from '@forge1/telemetry';
import { Redis } from 'ioredis';
import {
  adapterArguments,
  answer,
  decision,
  demand,
  features,
  increments,
  messages,
  observed,
  policy,
  request,
  route,
  usage,
  verifierInput,
} from './api-samples.ts';

// The objects the factories build, each from a minimal valid configuration, with valid arguments
// for the methods that need them before a later position is reached, and what to close after.

/** One object under test. */
export interface Subject {
  /** The object whose methods are called. */
  target: object;
  /** Valid arguments per method: each position is replaced by a hostile value in turn. */
  valid?: Record<string, unknown[]>;
  /** Methods documented to return a stream: they must not throw synchronously. */
  streams?: readonly string[];
  /** Methods not called, with the reason. */
  skip?: Record<string, string>;
  /** Releases what the object holds. */
  close?: () => unknown;
  /** Why the object could not be built here (a service it needs is not configured): its tests skip. */
  unavailable?: string;
}

const redisUrl = process.env.FORGE1_REDIS_URL;
const pgUrl = process.env.FORGE1_PG_URL;
const runId = `forge1methods:${process.pid.toString(36)}${Date.now().toString(36)}`;

/** A builder that needs a service's URL: without it, a subject that says why its tests skip. */
const needs =
  (url: string | undefined, variable: string, build: (url: string) => Promise<Subject> | Subject) =>
  (): Promise<Subject> | Subject =>
    url ? build(url) : { target: {}, unavailable: `${variable} is unset` };

const keyPool = () =>
  createKeyPool({
    keys: [{ id: 'k1', provider: 'openai', secret: 'sk-contract-0001', rpm: 1000, tpm: 1_000_000 }],
  });

function gateway() {
  return createGateway({
    tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
    router: createStaticRouter({
      provider: 'openai',
      model: 'gpt-5-nano',
      level: 'simple',
      fallbacks: [],
      ladder: [],
    }),
    keys: keyPool(),
    providers: { openai: createScriptedAdapter('openai', () => ({ text: 'ok' })) },
    meter: createRecordingMeter(),
    guard: createGuard(),
  });
}

/**
 * Valid arguments of a middleware's hooks: a context as the gateway gives each hook (with the
 * middleware's own state), so that a hostile value in one position reaches the hook's body.
 */
function hookArguments(middleware: { createState?: () => unknown }): Record<string, unknown[]> {
  const context = {
    requestId: 'r1',
    tenantId: 'acme',
    mode: 'chat',
    context: { tenantId: 'acme', requestId: 'r1' },
    policy,
    decision: undefined,
    signal: undefined,
    state: middleware.createState?.() ?? {},
    annotate: () => undefined,
  };
  const error = new Forge1Error(ErrorCode.internal, 'the attempt failed');
  const attempt = {
    provider: 'openai',
    model: 'gpt-5-nano',
    attempt: 1,
    purpose: 'answer',
    rung: 0,
    cascaded: false,
    fallback: false,
    keyId: undefined,
    queueWaitMs: undefined,
  };
  const outcome = {
    ok: false,
    result: undefined,
    error,
    usage,
    costMicros: 0,
    finishReason: undefined,
    keyId: undefined,
    queueWaitMs: undefined,
    latencyMs: 1,
    estimated: false,
  };
  return {
    transformRequest: [request, context],
    wrapAttempt: [attempt, async () => outcome, context],
    transformChunk: [{ type: 'text-delta', text: 'four' }, context],
    flush: [context],
    onResult: [{ ok: false, error }, context],
  };
}

/** Builders of every object under test, by name; `dir` is a temporary folder for files. */
export function subjects(dir: string): Record<string, () => Promise<Subject> | Subject> {
  return {
    gateway: () => {
      const target = gateway();
      return {
        target,
        valid: { chat: [{ tenant: 'acme', messages }], stream: [{ tenant: 'acme', messages }] },
        streams: ['stream'],
        close: () => target.close(),
      };
    },
    'gateway.events': () => ({ target: createEventBus(), valid: { on: ['route', () => undefined] } }),
    'tenant directory': () => ({
      target: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
      valid: { create: [{ id: 'globex', tier: 'standard' }], update: ['acme', { tier: 'professional' }] },
    }),
    'tenant store': () => ({ target: createMemoryTenantStore(), valid: { put: [policy] } }),
    catalog: () => ({
      target: createCatalog(),
      valid: { costOf: ['gpt-5-nano', usage], get: ['gpt-5-nano'] },
    }),
    'key pool': () => {
      const target = keyPool();
      return { target, valid: { acquire: [demand] }, close: () => target.close() };
    },
    lease: async () => {
      const pool = keyPool();
      const lease = await pool.acquire(demand as never);
      return { target: lease, valid: { release: [{ usage }] }, close: () => pool.close() };
    },
    'memory state store': () => ({ target: createMemoryStateStore() }),
    'Redis connection': needs(redisUrl, 'FORGE1_REDIS_URL', (url) => {
      const target = createRedisConnection(url, {
        timeoutMs: 1000,
        what: 'contract test',
        driver: () => import('ioredis'),
      });
      return { target, valid: { command: ['PING', []] }, close: () => target.close() };
    }),
    'Redis state store': needs(redisUrl, 'FORGE1_REDIS_URL', (url) => {
      const target = createRedisStateStore({ redis: url, prefix: `${runId}:keypool` });
      return { target, close: () => target.close() };
    }),
    router: () => ({
      target: createRouter({ providers: ['openai', 'anthropic', 'google'] }),
      valid: {
        analyze: [request, {}],
        decide: [request, policy, route],
        judge: [answer, decision, request],
        feedback: [{ requestId: 'r1', tenantId: 'acme', outcome: { type: 'rating', score: 1 } }],
        observe: [observed],
        attach: [createEventBus()],
      },
    }),
    'online learner': () => ({
      target: createOnlineLearner({ prior: priorWeights() }),
      valid: {
        probability: ['acme', features, 0],
        update: ['acme', features, 1],
        updateStrong: ['acme', features, 1],
      },
    }),
    'learner store': () => ({
      target: createMemoryLearnerStore(),
      valid: { add: ['acme', increments], read: ['acme'] },
    }),
    'Redis learner store': needs(redisUrl, 'FORGE1_REDIS_URL', (url) => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      const keyPrefix = `${runId}:learner:`;
      return {
        target: createRedisLearnerStore({ client, keyPrefix }),
        valid: { add: ['acme', increments], read: ['acme'] },
        close: async () => {
          const keys = await client.keys(`${keyPrefix}*`);
          if (keys.length > 0) await client.del(...keys);
          client.disconnect();
        },
      };
    }),
    'stats recorder': () => ({
      target: createStatsRecorder({ catalog: createCatalog() }),
      valid: { observe: [observed], attach: [createEventBus()] },
    }),
    verifier: () => ({ target: createArithmeticVerifier(), valid: { verify: [verifierInput] } }),
    'built-in verifiers': () => ({
      target: createBuiltInVerifiers()[0] as object,
      valid: { verify: [verifierInput] },
    }),
    meter: () => {
      const target = createMeter({ sinks: [createMemorySink()], journal: false });
      return { target, close: () => target.close() };
    },
    guard: () => ({ target: createGuard(), valid: { check: [{ policy, estimateMicros: 10, tokens: 10 }] } }),
    'counter store': () => ({ target: createMemoryCounterStore() }),
    'Redis counter store': needs(redisUrl, 'FORGE1_REDIS_URL', (url) => {
      const target = createRedisCounterStore({ redis: url, prefix: `${runId}:guard:` });
      return { target, close: () => target.close?.() };
    }),
    'memory sink': () => ({ target: createMemorySink() }),
    'JSONL sink': () => {
      const target = createJsonlSink({ directory: join(dir, 'jsonl') });
      return { target, close: () => target.close() };
    },
    'SQLite sink': () => {
      const target = createSqliteSink({ path: ':memory:' });
      return { target, close: () => target.close() };
    },
    'PostgreSQL sink': needs(pgUrl, 'FORGE1_PG_URL', (url) => {
      const target = createPostgresSink({ connectionString: url, table: 'forge1_api_methods' });
      return { target, close: () => target.close() };
    }),
    'webhook sink': () => ({
      target: createWebhookSink({ url: 'http://127.0.0.1:9/hook', secret: 'whsec-contract', attempts: 1 }),
    }),
    'usage store': () => ({
      target: createUsageStore({ database: openSqliteUsageDatabase({ path: ':memory:' }) }),
      valid: { summary: ['acme', { from: 0, to: 1 }] },
    }),
    'PostgreSQL usage store': needs(pgUrl, 'FORGE1_PG_URL', (url) => {
      const database = openPostgresUsageDatabase({ connectionString: url, table: 'forge1_api_methods' });
      return {
        target: createUsageStore({ database }),
        valid: { summary: ['acme', { from: 0, to: 1 }] },
        close: () => database.destroy(),
      };
    }),
    redactor: () => {
      const target = createRedactor({ detectors: { email: 'tokenize' } });
      return { target, valid: hookArguments(target) };
    },
    vault: () => ({ target: createVault(), valid: { tokenize: ['email', 'a@b.example'] } }),
    'stream restorer': () => ({ target: createStreamRestorer(createVault()) }),
    scanner: () => ({
      target: createScanner([secretDetector(), patternDetector('employeeId', /EMP-\d{6}/)]),
    }),
    'audit store': () => {
      const database = openSqliteAuditDatabase({ path: ':memory:' });
      const target = createAuditStore({ database });
      return { target, close: () => target.close?.() };
    },
    'PostgreSQL audit store': needs(pgUrl, 'FORGE1_PG_URL', (url) => {
      const database = openPostgresAuditDatabase({
        connectionString: url,
        table: 'forge1_api_methods_audit',
      });
      const target = createAuditStore({ database });
      return { target, close: () => target.close?.() };
    }),
    'audit trail': () => {
      const store = createAuditStore({ database: openSqliteAuditDatabase({ path: ':memory:' }) });
      const target = createAuditTrail({ store });
      return { target, valid: hookArguments(target), close: () => store.close?.() };
    },
    retention: () => {
      const usageDatabase = openSqliteUsageDatabase({ path: ':memory:' });
      return {
        target: createRetention({
          tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
          usage: createUsageStore({ database: usageDatabase }),
        }),
      };
    },
    'telemetry middleware': () => {
      const target = telemetryMiddleware();
      return { target, valid: hookArguments(target) };
    },
    instrumentation: () => {
      const target = instrument(gateway());
      return { target, close: () => target.stop?.() };
    },
    'instrumented router': () => ({ target: instrumentRouter(createRouter({ providers: ['openai'] })) }),
    'resilient adapter': () => {
      const target = withResilience(createScriptedAdapter('openai', () => ({ text: 'ok' })));
      return {
        target,
        valid: adapterArguments('gpt-5-nano'),
        streams: ['stream'],
        close: () => target.close(),
      };
    },
    emulator: async () => {
      const target = await startProviderEmulator();
      return { target, skip: { close: 'closed last, by the test' }, close: () => target.close() };
    },
    'OpenAI adapter': () => ({
      target: openai({ baseURL: 'http://127.0.0.1:9/v1' }),
      valid: adapterArguments('gpt-5-nano'),
      streams: ['stream'],
    }),
    'Anthropic adapter': () => ({
      target: anthropic({ baseURL: 'http://127.0.0.1:9' }),
      valid: adapterArguments('claude-haiku-4-5'),
      streams: ['stream'],
    }),
    'Google adapter': () => ({
      target: google({ baseURL: 'http://127.0.0.1:9' }),
      valid: adapterArguments('gemini-2.5-flash'),
      streams: ['stream'],
    }),
  };
}
