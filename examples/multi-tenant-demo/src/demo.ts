import { mkdirSync, rmSync } from 'node:fs';
import { Forge1Error, type GatewayResult } from '@forge1/core';
import { createProgress } from './progress.ts';
import { createDemoStack, type DemoStack, demoTenants } from './setup.ts';
import { runShowcase, type Showcase } from './showcase.ts';
import { buildWorkload } from './workload.ts';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  seed: number;
  /** Folder for the SQLite file, the journal and the HTML report. Emptied first. */
  dataDir: string;
  /** Rate-limit window of the keys (a scaled-down minute). */
  windowMs: number;
  /** The share of the run (from, to) during which Anthropic fails with 503s. */
  outage: [number, number];
  showProgress: boolean;
  /** Share of the run at which one shared OpenAI key is revoked at the provider (401s follow). */
  revokeKeyAt?: number;
  /** Called once the stack is built, before the first request (to subscribe to events). */
  onReady?: (stack: DemoStack) => void;
  real?: { openai?: string; anthropic?: string; google?: string };
}

/** What the demo observed, kept in memory to compare with what SQLite holds. */
export interface DemoObservations {
  startedAt: number;
  durationMs: number;
  results: GatewayResult[];
  errors: Array<{ tenant: string; code: string; error: unknown }>;
  /** Cost per tenant per second of the run, for the chart. */
  costTimeline: Record<string, number[]>;
  circuitEvents: Array<{ at: number; type: string; provider: string; model: string }>;
  budgetAlerts: Array<{ at: number; tenantId: string; threshold: number }>;
  /** When the injected provider outage began and ended, in milliseconds since the start. */
  outage: { provider: string; fromMs: number; toMs: number } | null;
  cooldowns: number;
  disabled: number;
  /** Utilisation samples per key over the run (fraction 0..1). */
  keyUtilisation: Record<string, number[]>;
  /** The image request and the embeddings request sent after the workload. */
  showcase: Showcase | null;
}

/** Runs the workload through the gateway and returns the stack (still open) and what was observed. */
export async function runDemo(
  options: DemoOptions,
): Promise<{ stack: DemoStack; observed: DemoObservations }> {
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const stack = await createDemoStack({
    dataDir: options.dataDir,
    windowMs: options.windowMs,
    ...(options.real ? { real: options.real } : {}),
  });
  options.onReady?.(stack);
  const profiles = demoTenants.map((tenant) => ({ id: tenant.id, ...tenant.profile }));
  const workload = buildWorkload(profiles, options.requests, options.seed);
  const startedAt = Date.now();
  const observed: DemoObservations = {
    startedAt,
    durationMs: 0,
    results: [],
    errors: [],
    costTimeline: Object.fromEntries(profiles.map((p) => [p.id, [0]])),
    circuitEvents: [],
    budgetAlerts: [],
    outage: null,
    showcase: null,
    cooldowns: 0,
    disabled: 0,
    keyUtilisation: {},
  };
  for (const type of ['circuit.open', 'circuit.halfOpen', 'circuit.close'] as const) {
    stack.events.on(type, ({ provider, model }) =>
      observed.circuitEvents.push({ at: Date.now() - startedAt, type, provider, model }),
    );
  }
  stack.events.on('budget.alert', ({ tenantId, threshold }) =>
    observed.budgetAlerts.push({ at: Date.now() - startedAt, tenantId, threshold }),
  );
  stack.events.on('key.cooldown', () => observed.cooldowns++);
  stack.events.on('key.disabled', () => observed.disabled++);

  const sampler = setInterval(() => {
    for (const key of stack.pool.stats().keys) {
      const samples = observed.keyUtilisation[key.keyId] ?? [];
      samples.push(key.utilisation);
      observed.keyUtilisation[key.keyId] = samples;
    }
  }, 250);
  const progress = options.showProgress ? createProgress(workload.length) : undefined;
  const outageFrom = Math.floor(options.outage[0] * workload.length);
  const outageTo = Math.floor(options.outage[1] * workload.length);
  const revokeAt = options.revokeKeyAt === undefined ? -1 : Math.floor(options.revokeKeyAt * workload.length);
  let next = 0;
  let done = 0;

  const worker = async () => {
    while (next < workload.length) {
      const index = next++;
      if (index === outageFrom && stack.emulator) {
        stack.emulator.setFaults([{ match: { provider: 'anthropic' }, kind: 'status', status: 503 }]);
        const at = Date.now() - startedAt;
        observed.outage = { provider: 'anthropic', fromMs: at, toMs: at };
      }
      if (index === outageTo && stack.emulator) {
        stack.emulator.setFaults([]);
        if (observed.outage) observed.outage.toMs = Date.now() - startedAt;
      }
      if (index === revokeAt) stack.emulator?.revokeKey(stack.secrets[0]!);
      const item = workload[index]!;
      try {
        const result = await stack.gateway.chat({
          tenant: item.tenant,
          employee: item.employee,
          user: item.user,
          ...item.request,
        });
        observed.results.push(result);
        const second = Math.floor((Date.now() - startedAt) / 1000);
        const timeline = observed.costTimeline[item.tenant]!;
        while (timeline.length <= second) timeline.push(0);
        timeline[second]! += result.costMicros;
      } catch (error) {
        observed.errors.push({
          tenant: item.tenant,
          code: Forge1Error.is(error) ? error.code : 'unknown',
          error,
        });
      }
      done++;
      progress?.update(done, index >= outageFrom && index < outageTo ? '(anthropic outage)' : '');
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  clearInterval(sampler);
  observed.durationMs = Date.now() - startedAt;
  if (observed.outage && observed.outage.toMs === observed.outage.fromMs)
    observed.outage.toMs = observed.durationMs;
  // Make each tenant's timeline cumulative for the chart.
  for (const timeline of Object.values(observed.costTimeline)) {
    for (let i = 1; i < timeline.length; i++) timeline[i]! += timeline[i - 1]!;
  }
  observed.showcase = await runShowcase(stack);
  observed.results.push(observed.showcase.image);
  await stack.meter.flush();
  return { stack, observed };
}
