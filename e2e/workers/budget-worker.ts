// One process of the shared-budget test: a metering guard on the Redis counter store spends
// one tenant's monthly budget, one request in flight at a time, until the guard refuses.
// Prints {type:'ready'}, waits for a line on stdin, then prints {type:'done', requests, spentMicros, refusal}.
// Run: node --import ./e2e/workers/source-hooks.ts e2e/workers/budget-worker.ts '<config JSON>'
import { Forge1Error, type RequestContext, resolveTenantPolicy } from '@forge1/core';
import { createGuard } from '@forge1/metering';
import { createRedisCounterStore } from '@forge1/metering/redis';

interface BudgetConfig {
  redisUrl: string;
  prefix: string;
  tenantId: string;
  budgetMicros: number;
  minimumCostMicros: number;
  maximumCostMicros: number;
  seed: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as BudgetConfig;
const print = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
// A test worker on a shared machine: Redis may be slow to answer while other processes load it,
// and this test is about the budget, not about the 1 s default command timeout.
const counters = createRedisCounterStore({
  redis: config.redisUrl,
  prefix: config.prefix,
  commandTimeoutMs: 10_000,
});
const guard = createGuard({ counters });
const policy = resolveTenantPolicy({
  id: config.tenantId,
  tier: 'enterprise',
  budget: { monthlyMicros: config.budgetMicros },
});
const context = { tenantId: config.tenantId, requestId: 'budget' } as RequestContext;
let state = config.seed;
const random = () => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return state / 2_147_483_648;
};

await guard.usage(config.tenantId);
print({ type: 'ready' });
// Every worker starts on the test's "go" line, once all are ready.
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.unref();
let requests = 0;
let spentMicros = 0;
let refusal = '';
for (;;) {
  let grant: Awaited<ReturnType<typeof guard.check>>;
  try {
    grant = await guard.check({
      policy,
      context,
      minimumCostMicros: config.minimumCostMicros,
      estimatedTokens: 0,
    });
  } catch (error) {
    refusal = Forge1Error.is(error) ? error.code : String(error);
    break;
  }
  // The provider call: its real cost is known only once it ends.
  await new Promise((resolve) => setTimeout(resolve, 2 + random() * 6));
  const cost = Math.round(
    config.minimumCostMicros + random() * (config.maximumCostMicros - config.minimumCostMicros),
  );
  await guard.settle(grant, { costMicros: cost, tokens: 0, served: true });
  requests++;
  spentMicros += cost;
}
print({ type: 'done', requests, spentMicros, refusal });
await counters.close?.();
