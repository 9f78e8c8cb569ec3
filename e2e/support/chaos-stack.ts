import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ResilientAdapter, withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { type EmulatorFault, type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai } from '@forge1/adapters/openai';
import {
  createEventBus,
  createGateway,
  createSeededRandom,
  createTenantDirectory,
  type EventBus,
  type Gateway,
} from '@forge1/core';
import { createKeyPool, type KeyInput, type KeyPool } from '@forge1/keypool';
import {
  createGuard,
  createMeter,
  createSqliteSink,
  createUsageStore,
  type Meter,
  type SqlSink,
  type UsageStore,
} from '@forge1/metering';
import { createRouter } from '@forge1/router';
import { createFaultyAdapter, type FaultState, type FaultyAdapter } from './faulty-adapter.ts';

/** The providers of the chaos run. With tier-first selection the router puts Anthropic first for every tenant, so it is the one that goes down. */
export const chaosProviders = ['openai', 'anthropic', 'google'] as const;
/** Provider taken down for the middle third of the run. */
export const downProvider = 'anthropic';
/** Provider one of whose keys is revoked midway (it serves the fallbacks during the outage). */
export const revokedProvider = 'openai';

/** The tenants of the chaos run, one per tier. */
export const chaosTenants = [
  { id: 'chaos-bank', tier: 'enterprise', industry: 'finance' },
  { id: 'chaos-clinic', tier: 'professional', industry: 'healthcare' },
  { id: 'chaos-startup', tier: 'standard', industry: 'tech', preference: 'cost' },
] as const;

/** Fault rates of the issue: 10 % 500s, 5 % 429s, 2 % timeouts. */
export const chaosRates = { serverError: 0.1, rateLimited: 0.05, timeout: 0.02 };

/** How the chaos stack reaches providers: the emulator with the real adapters, or in process. */
export type ChaosMode = 'emulator' | 'in-process';

/** Everything a chaos run drives and inspects. */
export interface ChaosStack {
  mode: ChaosMode;
  events: EventBus;
  gateway: Gateway;
  pool: KeyPool;
  meter: Meter;
  sink: SqlSink;
  usage: UsageStore;
  adapters: Record<string, ResilientAdapter>;
  keys: KeyInput[];
  attemptTimeoutMs: number;
  resetTimeoutMs: number;
  emulator?: ProviderEmulator;
  inProcess?: { state: FaultState; adapters: Record<string, FaultyAdapter> };
  /** Turns the outage of {@link downProvider} on or off. */
  setOutage(on: boolean): void;
  /** Revokes a key at the provider (its secret gets 401s from now on). */
  revoke(secret: string): void;
  /** Stops every injected fault (outage and revocations stay as they are in the emulator). */
  clearFaults(): void;
  close(): Promise<void>;
}

/** Options of {@link createChaosStack}. */
export interface ChaosStackOptions {
  mode: ChaosMode;
  dataDir: string;
  seed: number;
  /** Keys per provider. @default 3 (emulator), 6 (in process) */
  keysPerProvider?: number;
}

// Faults are drawn in list order and the first that fires wins, so each rate is conditional on
// the ones before it not firing: the resulting shares are exactly 2 %, 10 % and 5 %.
function emulatorFaults(attemptTimeoutMs: number, outage: boolean): EmulatorFault[] {
  const { timeout, serverError, rateLimited } = chaosRates;
  const faults: EmulatorFault[] = [
    { name: 'timeout', rate: timeout, kind: 'slow', delayMs: attemptTimeoutMs * 3 },
    { name: '500', rate: serverError / (1 - timeout), kind: 'status', status: 500 },
    {
      name: '429',
      rate: rateLimited / (1 - timeout - serverError),
      kind: 'status',
      status: 429,
      retryAfterSeconds: 0,
    },
  ];
  return outage
    ? [{ name: 'outage', match: { provider: downProvider }, kind: 'status', status: 503 }, ...faults]
    : faults;
}

/** Wires the whole pipeline for a chaos run: key pool, router, resilient adapters, SQLite meter, guard, gateway. */
export async function createChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const { mode, seed } = options;
  const emulated = mode === 'emulator';
  const attemptTimeoutMs = emulated ? 300 : 40;
  const resetTimeoutMs = emulated ? 300 : 200;
  const keysPerProvider = options.keysPerProvider ?? (emulated ? 3 : 6);
  const events = createEventBus();
  const keys: KeyInput[] = chaosProviders.flatMap((provider) =>
    Array.from({ length: keysPerProvider }, (_, index) => ({
      id: `${provider}-${index + 1}`,
      provider,
      secret: `sk-chaos-${provider}-${index + 1}-${seed}-0123456789`,
      rpm: 10_000_000,
      tpm: 10_000_000_000,
    })),
  );
  const resilience = {
    events,
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 20 },
    breaker: {
      volumeThreshold: 20,
      errorThresholdPercentage: 50,
      rollingWindowMs: 1_000,
      rollingBuckets: 10,
      resetTimeoutMs,
    },
  };

  let emulator: ProviderEmulator | undefined;
  let inProcess: ChaosStack['inProcess'];
  let providers: Record<string, ResilientAdapter>;
  if (emulated) {
    emulator = await startProviderEmulator({ seed, faults: emulatorFaults(attemptTimeoutMs, false) });
    const urls = emulator.urls;
    providers = {
      openai: withResilience(openai({ baseURL: urls.openai }), resilience),
      anthropic: withResilience(anthropic({ baseURL: urls.anthropic }), resilience),
      google: withResilience(google({ baseURL: urls.google }), resilience),
    };
  } else {
    const state: FaultState = {
      rates: { ...chaosRates },
      down: new Set(),
      revoked: new Set(),
      retryAfterMs: 2,
    };
    const random = createSeededRandom(seed);
    const adapters = Object.fromEntries(
      chaosProviders.map((provider) => [provider, createFaultyAdapter(provider, state, random)]),
    );
    inProcess = { state, adapters };
    providers = Object.fromEntries(
      Object.entries(adapters).map(([name, adapter]) => [name, withResilience(adapter, resilience)]),
    );
  }

  const pool = createKeyPool({
    keys,
    events,
    maxWaitMs: 250,
    cooldown: { baseMs: 5, maxMs: 100 },
    signals: false,
  });
  mkdirSync(options.dataDir, { recursive: true });
  const sink = createSqliteSink({ path: join(options.dataDir, 'usage.db') });
  const meter = createMeter({
    sinks: [sink],
    journal: { directory: join(options.dataDir, 'journal'), sync: false },
    flushIntervalMs: 50,
    batchSize: 2_000,
    maxBuffered: 50_000,
    events,
  });
  const usage = createUsageStore({ database: sink.database });
  const unlimited = { limits: { dailyRequests: 1_000_000_000 }, budget: { monthlyMicros: null } };
  const tenants = createTenantDirectory({
    tenants: chaosTenants.map((tenant) => ({ ...tenant, ...unlimited })),
  });
  const gateway = createGateway({
    tenants,
    // Tier-first selection ranks Anthropic's models first, which makes Anthropic the provider whose outage matters.
    router: createRouter({ providers: [...chaosProviders], memory: 1_000, strategy: 'ladder' }),
    keys: pool,
    providers,
    meter,
    guard: createGuard({ events }),
    events,
    attemptTimeoutMs,
  });

  return {
    mode,
    events,
    gateway,
    pool,
    meter,
    sink,
    usage,
    adapters: providers,
    keys,
    attemptTimeoutMs,
    resetTimeoutMs,
    ...(emulator ? { emulator } : {}),
    ...(inProcess ? { inProcess } : {}),
    setOutage(on) {
      if (emulator) emulator.setFaults(emulatorFaults(attemptTimeoutMs, on));
      else if (on) inProcess?.state.down.add(downProvider);
      else inProcess?.state.down.delete(downProvider);
    },
    revoke(secret) {
      if (emulator) emulator.revokeKey(secret);
      else inProcess?.state.revoked.add(secret);
    },
    clearFaults() {
      if (emulator) emulator.setFaults([]);
      else if (inProcess) {
        inProcess.state.rates = { serverError: 0, rateLimited: 0, timeout: 0 };
        inProcess.state.down.clear();
      }
    },
    async close() {
      await gateway.close();
      await emulator?.close();
    },
  };
}
