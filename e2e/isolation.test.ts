import { inspect } from 'node:util';
import { withResilience } from '@forge1/adapters';
import {
  billingPeriod,
  createEventBus,
  createGateway,
  createSeededRandom,
  createTenantDirectory,
  Forge1Error,
  forge1EventNames,
  type GatewayResult,
  type UsageGroupBy,
} from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import {
  createGuard,
  createMeter,
  createSqliteSink,
  createUsageStore,
  unattributedKey,
} from '@forge1/metering';
import { createRouter } from '@forge1/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultyAdapter, type FaultState } from './support/faulty-adapter.ts';

// Several tenants with distinctive ids, employees, users, clients, sessions and metadata share one
// gateway, key pool and usage store. Nothing tenant-scoped (queries, events about a request,
// errors, dedicated keys) may show one tenant another tenant's data.
const tenants = ['alphacorp', 'bravoworks', 'charliebank'] as const;
type TenantId = (typeof tenants)[number];
const others = (tenant: string) => tenants.filter((other) => other !== tenant);
const marks = (tenant: TenantId) => ({
  employees: [`${tenant}-employee-1`, `${tenant}-employee-2`],
  users: [`${tenant}-user-1`, `${tenant}-user-2`, `${tenant}-user-3`],
  client: `${tenant}-client`,
  session: `${tenant}-session`,
  metadata: { project: `${tenant}-project` },
});
const REQUESTS = 30;
const groupings: UsageGroupBy[] = [
  'period',
  'model',
  'provider',
  'employee',
  'user',
  'client',
  'day',
  'level',
];

const faults: FaultState = {
  rates: { serverError: 0.05, rateLimited: 0.05, timeout: 0 },
  down: new Set(),
  revoked: new Set(),
  retryAfterMs: 1,
};
const events = createEventBus();
const emitted: Array<{ name: string; payload: unknown }> = [];
for (const name of forge1EventNames) events.on(name, (payload) => emitted.push({ name, payload }));
const providers = Object.fromEntries(
  ['openai', 'anthropic', 'google'].map((name) => [
    name,
    withResilience(createFaultyAdapter(name, faults, createSeededRandom(21)), {
      events,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      breaker: { volumeThreshold: 1_000 },
    }),
  ]),
);
const keys = [
  ...Object.keys(providers).map((provider) => ({
    id: `${provider}-shared`,
    provider,
    secret: `sk-isolation-${provider}-shared-0000`,
    rpm: 100_000,
    tpm: 100_000_000,
  })),
  ...Object.keys(providers).map((provider) => ({
    id: `${provider}-dedicated-alphacorp`,
    provider,
    secret: `sk-isolation-${provider}-dedicated-0000`,
    rpm: 100_000,
    tpm: 100_000_000,
    dedicatedTo: ['alphacorp'],
  })),
];
const sink = createSqliteSink();
const usage = createUsageStore({ database: sink.database });
const directory = createTenantDirectory({
  tenants: [
    { id: 'alphacorp', tier: 'enterprise', industry: 'finance' },
    { id: 'bravoworks', tier: 'professional', industry: 'tech', limits: { dailyRequests: REQUESTS + 1 } },
    { id: 'charliebank', tier: 'standard', budget: { monthlyMicros: 50_000, alertThresholds: [0.01] } },
  ],
});
const meter = createMeter({ sinks: [sink], journal: false, events, flushIntervalMs: 10 });
const gateway = createGateway({
  tenants: directory,
  // No exploration: the budget extra below must meet the budget check, not a seeded try of the small tier.
  router: createRouter({ providers: Object.keys(providers), learner: { epsilon: 0 } }),
  keys: createKeyPool({ keys, events, signals: false, maxWaitMs: 1_000 }),
  providers,
  meter,
  guard: createGuard({ usage, events }),
  events,
});

const results: GatewayResult[] = [];
const errors: Array<{ tenant: string; error: unknown }> = [];
const requestTenant = new Map<string, string>();

beforeAll(async () => {
  const random = createSeededRandom(5);
  const one = async (tenant: TenantId, index: number) => {
    const mark = marks(tenant);
    const requestId = `${tenant}-request-${index}`;
    requestTenant.set(requestId, tenant);
    try {
      results.push(
        await gateway.chat({
          tenant,
          requestId,
          client: mark.client,
          session: mark.session,
          employee: mark.employees[index % 2]!,
          user: mark.users[Math.floor(random() * 3)]!,
          metadata: mark.metadata,
          messages: [
            { role: 'user', content: `Question ${index} from ${tenant}: how do I reset a password?` },
          ],
        }),
      );
    } catch (error) {
      errors.push({ tenant, error });
    }
  };
  // Interleaved, so that the tenants' requests share the pool and the meter at the same moments.
  await Promise.all(
    Array.from({ length: REQUESTS }, (_, index) => Promise.all(tenants.map((tenant) => one(tenant, index)))),
  );
  // A tenant over its daily quota, one whose budget cannot afford a huge answer, an unknown tenant.
  const extras = [['bravoworks'], ['bravoworks'], ['charliebank', 100_000], ['nobody-deltaco']] as const;
  for (const [index, [tenant, maxTokens]] of extras.entries()) {
    const requestId = `${tenant}-extra-${index}`;
    requestTenant.set(requestId, tenant);
    await gateway
      .chat({
        tenant,
        requestId,
        ...(maxTokens ? { maxTokens } : {}),
        messages: [{ role: 'user', content: 'Write the whole annual report.' }],
      })
      .then((result) => results.push(result))
      .catch((error: unknown) => errors.push({ tenant, error }));
  }
  await meter.flush();
});
afterAll(async () => {
  await gateway.close();
});

/** Every string form of a value an operator or a tenant could see. */
const shown = (value: unknown) =>
  `${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v))}\n${inspect(value, { depth: 12, showHidden: true })}`;
const leaks = (tenant: string, value: unknown) => {
  const text = shown(value);
  return others(tenant).filter((other) => text.includes(other));
};

describe('tenant isolation', () => {
  it('served every tenant (the workload is not empty)', () => {
    for (const tenant of tenants)
      expect(results.filter((r) => r.tenantId === tenant).length).toBeGreaterThan(0);
  });

  it('no tenant-scoped usage query shows another tenant', async () => {
    const period = billingPeriod(Date.now());
    for (const tenant of tenants) {
      const answers: Record<string, unknown> = {
        totals: await usage.totals(tenant),
        spend: await usage.spend(tenant, period),
        modelShare: await usage.modelShare(tenant),
        topUsers: await usage.topUsers(tenant, { limit: 50 }),
        topUsersByRequests: await usage.topUsers(tenant, { limit: 50, by: 'requests' }),
        invoice: await usage.invoicePreview(tenant, period, {
          markup: 0.2,
          plan: { name: 'pro', baseFeeMicros: 1_000, allowanceMicros: 10 },
        }),
        json: await usage.exportTenant(tenant, 'json'),
        csv: await usage.exportTenant(tenant, 'csv'),
      };
      for (const groupBy of groupings) answers[`usageBy:${groupBy}`] = await usage.usageBy(tenant, groupBy);
      for (const [query, answer] of Object.entries(answers)) {
        expect({ tenant, query, leaks: leaks(tenant, answer) }).toEqual({ tenant, query, leaks: [] });
      }
      // The tenant's own figures are all there: its requests and nothing else.
      const own = results.filter((result) => result.tenantId === tenant);
      const totals = answers.totals as { requests: number; costMicros: number };
      expect(totals.requests).toBe(own.length);
      expect(totals.costMicros).toBe(own.reduce((sum, result) => sum + result.costMicros, 0));
      const rows = JSON.parse(answers.json as string) as Array<{ tenantId: string; userId?: string }>;
      expect(new Set(rows.map((row) => row.tenantId))).toEqual(new Set([tenant]));
      const users = (answers['usageBy:user'] as Array<{ key: string }>).map((group) => group.key);
      expect(users.filter((user) => !marks(tenant).users.includes(user))).toEqual(
        tenant === 'bravoworks' ? [unattributedKey] : [],
      );
    }
  });

  it('the operator summary is the one cross-tenant call, and it adds up', async () => {
    const summary = await usage.adminSummary();
    expect(summary.map((row) => row.tenantId).sort()).toEqual([...tenants].sort());
  });

  it('every event about a request carries only that request’s tenant', () => {
    let aboutRequests = 0;
    for (const { name, payload } of emitted) {
      const body = payload as {
        requestId?: string;
        tenantId?: string;
        record?: { requestId: string; tenantId: string };
      };
      const requestId = body.requestId ?? body.record?.requestId;
      const tenantId = body.tenantId ?? body.record?.tenantId;
      if (requestId === undefined) {
        // A budget alert names only its own tenant; key, circuit and pool events: the next test.
        if (tenantId !== undefined)
          expect({ name, leaks: leaks(tenantId, payload) }).toEqual({ name, leaks: [] });
        continue;
      }
      const owner = requestTenant.get(requestId) ?? `unknown request ${requestId}`;
      aboutRequests++;
      expect({ name, tenantId }).toEqual({ name, tenantId: owner });
      expect({ name, leaks: leaks(owner, payload) }).toEqual({ name, leaks: [] });
    }
    expect(aboutRequests).toBeGreaterThan(tenants.length * REQUESTS);
  });

  it('key, circuit and pool events name no tenant at all', () => {
    const tenantless = emitted.filter(
      ({ name }) => name.startsWith('key.') || name.startsWith('circuit.') || name.startsWith('pool.'),
    );
    for (const { name, payload } of tenantless) {
      expect({
        name,
        named: tenants
          .filter((tenant) => shown(payload).includes(tenant))
          .filter((t) => !String((payload as { keyId?: string }).keyId ?? '').includes(t)),
      }).toEqual({ name, named: [] });
    }
  });

  it('errors name only their own tenant: quota, budget, unknown tenant', () => {
    const codes = new Set<string>();
    for (const { tenant, error } of errors) {
      expect(Forge1Error.is(error)).toBe(true);
      codes.add((error as Forge1Error).code);
      expect({ tenant, leaks: leaks(tenant, error) }).toEqual({ tenant, leaks: [] });
      if (tenant === 'nobody-deltaco') {
        expect(error).toMatchObject({ code: 'unknown_tenant', tenantId: 'nobody-deltaco' });
        expect(tenants.filter((t) => shown(error).includes(t))).toEqual([]);
      } else {
        expect((error as Forge1Error).tenantId ?? tenant).toBe(tenant);
      }
    }
    expect(codes).toContain('quota_exceeded');
    expect(codes).toContain('budget_exceeded');
    expect(codes).toContain('unknown_tenant');
  });

  it('dedicated keys serve only their tenant, and serve it', () => {
    const dedicated = (keyId?: string) => keyId?.includes('dedicated') === true;
    for (const result of results) {
      for (const attempt of result.attempts) {
        if (dedicated(attempt.keyId))
          expect({ keyId: attempt.keyId, tenant: result.tenantId }).toEqual({
            keyId: attempt.keyId,
            tenant: 'alphacorp',
          });
      }
    }
    const alphaAttempts = results.filter((r) => r.tenantId === 'alphacorp').flatMap((r) => r.attempts);
    expect(alphaAttempts.some((attempt) => dedicated(attempt.keyId))).toBe(true);
  });
});
