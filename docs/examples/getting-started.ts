// The getting-started gateway grown up: three tenants, keys on two providers (one dedicated, one
// backup), usage metered into SQLite, quotas and budgets enforced by the guard.
// Run (after `npm run build`): npx node docs/examples/getting-started.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { openai } from '@forge1/adapters/openai';
import {
  billingPeriod,
  createEventBus,
  createGateway,
  createTenantDirectory,
  Forge1Error,
} from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createGuard, createMeter, createSqliteSink, createUsageStore } from '@forge1/metering';
import { createRouter } from '@forge1/router';

const emulator = await startProviderEmulator({
  keys: {
    'sk-openai-1': { rpm: 60, tpm: 100_000 },
    'sk-openai-acme': { rpm: 60, tpm: 100_000 },
    'sk-anthropic-1': { rpm: 50, tpm: 80_000 },
    'sk-anthropic-spare': { rpm: 50, tpm: 80_000 },
  },
});
const dataDir = mkdtempSync(join(tmpdir(), 'forge1-'));

// One bus for every package: subscribe once (see docs/operations.md).
const events = createEventBus();
events.on('budget.alert', ({ tenantId, threshold }) =>
  console.log(`budget ${threshold * 100}% used: ${tenantId}`),
);

// Tenants: only `id` and `tier` are required; the rest comes from the tier.
const tenants = createTenantDirectory({
  tenants: [
    { id: 'acme', name: 'Acme Bank', tier: 'enterprise', industry: 'finance', preference: 'quality' },
    { id: 'mediq', tier: 'professional', industry: 'healthcare', budget: { monthlyMicros: 2_000_000 } },
    {
      id: 'pixel',
      tier: 'standard',
      industry: 'tech',
      preference: 'cost',
      limits: { dailyRequests: 500 },
      budget: { monthlyMicros: 300_000, onExceeded: 'downgrade', alertThresholds: [0.5, 0.8, 1] },
    },
  ],
});

// Keys: limits per key; a key dedicated to one tenant; a backup key used only when the others cannot serve.
const keys = createKeyPool({
  events,
  keys: [
    { id: 'openai-1', provider: 'openai', secret: 'sk-openai-1', rpm: 60, tpm: 100_000 },
    {
      id: 'openai-acme',
      provider: 'openai',
      secret: 'sk-openai-acme',
      rpm: 60,
      tpm: 100_000,
      dedicatedTo: ['acme'],
    },
    { id: 'anthropic-1', provider: 'anthropic', secret: 'sk-anthropic-1', rpm: 50, tpm: 80_000 },
    {
      id: 'anthropic-spare',
      provider: 'anthropic',
      secret: 'sk-anthropic-spare',
      rpm: 50,
      tpm: 80_000,
      role: 'backup',
    },
  ],
});

// Metering: a crash-safe journal in front of an SQLite file; the same file answers usage queries.
const sink = createSqliteSink({ path: join(dataDir, 'usage.db') });
const meter = createMeter({ sinks: [sink], journal: join(dataDir, 'journal'), events });
const usage = createUsageStore({ database: sink.database });
// The guard: daily request quota, monthly budget and token cap, checked before any provider call.
const guard = createGuard({ usage, events });

const resilience = { events };
const gateway = createGateway({
  tenants,
  router: createRouter({ providers: ['openai', 'anthropic'], events }),
  keys,
  providers: {
    openai: withResilience(openai({ baseURL: emulator.urls.openai }), resilience),
    anthropic: withResilience(anthropic({ baseURL: emulator.urls.anthropic }), resilience),
  },
  meter,
  guard,
  events,
});

const questions = [
  { tenant: 'pixel', content: 'Thanks, that fixed it!' },
  { tenant: 'mediq', content: 'Summarise the visiting hours policy for the cardiology ward.' },
  {
    tenant: 'acme',
    content:
      'We detected unauthorized wire transfers this morning. Analyse the exposure and draft the regulator notification.',
  },
];
for (const { tenant, content } of questions) {
  try {
    const answer = await gateway.chat({
      tenant,
      employee: 'e-1',
      user: 'u-1',
      messages: [{ role: 'user', content }],
    });
    console.log(tenant, answer.level, `${answer.provider}/${answer.model}`, `${answer.costMicros} µ$`);
  } catch (error) {
    // Quota, budget and capacity refusals are typed errors with a stable code.
    if (Forge1Error.is(error)) console.log(tenant, 'refused:', error.code);
    else throw error;
  }
}

// Records reach SQLite in batches; flush before querying.
await meter.flush();
const period = billingPeriod(Date.now());
console.log(await usage.totals('acme'));
console.log(await usage.usageBy('pixel', 'model'));
console.log((await usage.invoicePreview('mediq', period, { markup: 0.2 })).totalMicros);

await gateway.close(); // closes the meter (flushing it), the adapters and the key pool
await emulator.close();
