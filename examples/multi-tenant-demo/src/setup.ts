import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import {
  createEventBus,
  createGateway,
  createTenantDirectory,
  type EventBus,
  type Gateway,
  type TenantPolicyInput,
} from '@forge1/core';
import { createKeyPool, type KeyInput, type KeyPool } from '@forge1/keypool';
import {
  createGuard,
  createMeter,
  createSqliteSink,
  createUsageStore,
  type Meter,
  type UsageStore,
} from '@forge1/metering';
import { createRouter, type Router } from '@forge1/router';
import type { TenantProfile } from './workload.ts';

/** The demo's three tenants: policies and who works there. */
export const demoTenants: Array<TenantPolicyInput & { profile: Omit<TenantProfile, 'id'> }> = [
  {
    id: 'northwind-bank',
    name: 'Northwind Bank',
    tier: 'enterprise',
    industry: 'finance',
    preference: 'quality',
    budget: { monthlyMicros: 60_000_000 },
    profile: {
      weight: 4,
      employees: ['analyst-ana', 'risk-raj', 'ops-olga', 'trader-tim'],
      users: ['cust-1001', 'cust-1002', 'cust-1003', 'cust-1004', 'cust-1005'],
      mix: { chitchat: 1, howto: 2, analysis: 4, incident: 1, code: 1, extraction: 2, summary: 1 },
    },
  },
  {
    id: 'mediq-clinics',
    name: 'MedIQ Clinics',
    tier: 'professional',
    industry: 'healthcare',
    budget: { monthlyMicros: 2_000_000, onExceeded: 'downgrade' },
    profile: {
      weight: 3,
      employees: ['nurse-nia', 'admin-abe', 'doctor-dee'],
      users: ['patient-201', 'patient-202', 'patient-203', 'patient-204'],
      mix: { chitchat: 2, howto: 3, analysis: 2, incident: 1, extraction: 3, summary: 2 },
    },
  },
  {
    id: 'pixelpush',
    name: 'PixelPush (startup)',
    tier: 'standard',
    industry: 'tech',
    preference: 'cost',
    budget: { monthlyMicros: 300_000, onExceeded: 'downgrade', alertThresholds: [0.5, 0.8, 1] },
    profile: {
      weight: 3,
      employees: ['dev-dan', 'dev-eve'],
      users: ['user-a', 'user-b', 'user-c'],
      mix: { chitchat: 3, howto: 3, code: 3, analysis: 1 },
    },
  },
];

/** The tenants' policies alone, without the workload profiles. */
export const demoPolicies = (): TenantPolicyInput[] => demoTenants.map(({ profile, ...policy }) => policy);

/** Keys per provider: each with the same limits in the pool and in the emulator. */
const keyPlan: Array<{
  provider: 'openai' | 'anthropic' | 'google';
  count: number;
  rpm: number;
  tpm: number;
  dedicatedTo?: string[];
}> = [
  { provider: 'openai', count: 3, rpm: 1500, tpm: 2_500_000 },
  { provider: 'openai', count: 1, rpm: 600, tpm: 1_000_000, dedicatedTo: ['northwind-bank'] },
  { provider: 'anthropic', count: 2, rpm: 800, tpm: 1_500_000 },
  { provider: 'google', count: 2, rpm: 800, tpm: 1_500_000 },
];

/** Everything the demo wires together. */
export interface DemoStack {
  emulator: ProviderEmulator | undefined;
  events: EventBus;
  gateway: Gateway;
  pool: KeyPool;
  router: Router;
  meter: Meter;
  usage: UsageStore;
  /** Every key secret used, for the secret-hygiene scan. */
  secrets: string[];
  close(): Promise<void>;
}

/** Options of {@link createDemoStack}. */
export interface DemoStackOptions {
  /** Folder for the SQLite file and the journal. */
  dataDir: string;
  /** Length of the keys' rate-limit window; the demo scales a minute down to finish quickly. */
  windowMs: number;
  /** Use real providers with keys from the environment instead of the emulator. */
  real?: { openai?: string; anthropic?: string; google?: string };
}

/** Builds the demo: emulator (unless real keys), key pool, router, adapters, meter, guard, gateway. */
export async function createDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const events = createEventBus();
  const run = randomBytes(4).toString('hex');
  const keys: KeyInput[] = [];
  const emulatorKeys: Record<string, { rpm: number; tpm: number }> = {};
  for (const plan of keyPlan) {
    for (let i = 0; i < plan.count; i++) {
      const id = `${plan.provider}-${plan.dedicatedTo ? 'dedicated' : 'shared'}-${i + 1}`;
      const secret =
        options.real?.[plan.provider] ??
        `sk-forge1-demo-${plan.provider}-${run}-${i + 1}-${randomBytes(6).toString('hex')}`;
      keys.push({
        id,
        provider: plan.provider,
        secret,
        rpm: plan.rpm,
        tpm: plan.tpm,
        windowMs: options.windowMs,
        ...(plan.dedicatedTo ? { dedicatedTo: plan.dedicatedTo } : {}),
      });
      emulatorKeys[secret] = { rpm: plan.rpm, tpm: plan.tpm };
    }
  }
  const emulator = options.real
    ? undefined
    : await startProviderEmulator({ keys: emulatorKeys, windowMs: options.windowMs, latencyMs: 15, seed: 7 });
  const baseURL = (provider: 'openai' | 'anthropic' | 'google') =>
    emulator ? { baseURL: emulator.urls[provider] } : {};
  const resilience = {
    events,
    retry: { retries: 2, minDelayMs: 50, maxDelayMs: 400 },
    breaker: {
      volumeThreshold: 8,
      errorThresholdPercentage: 50,
      rollingWindowMs: 5_000,
      resetTimeoutMs: 3_000,
    },
  };
  const providers = {
    openai: withResilience(openai(baseURL('openai')), resilience),
    anthropic: withResilience(anthropic(baseURL('anthropic')), resilience),
    google: withResilience(google(baseURL('google')), resilience),
  };
  const pool = createKeyPool({ keys, events, maxWaitMs: 30_000, signals: { windowMs: options.windowMs } });
  const tenants = createTenantDirectory({ tenants: demoPolicies() });
  const router = createRouter({ providers: Object.keys(providers), events });
  const sink = createSqliteSink({ path: join(options.dataDir, 'usage.db') });
  const meter = createMeter({
    sinks: [sink],
    journal: join(options.dataDir, 'journal'),
    events,
    flushIntervalMs: 100,
  });
  const usage = createUsageStore({ database: sink.database });
  const guard = createGuard({ usage, events });
  const gateway = createGateway({
    tenants,
    router,
    keys: pool,
    providers,
    meter,
    guard,
    events,
  });
  return {
    emulator,
    events,
    gateway,
    pool,
    router,
    meter,
    usage,
    secrets: keys.map((key) => String(typeof key.secret === 'string' ? key.secret : '')),
    async close() {
      await gateway.close();
      await emulator?.close();
    },
  };
}
