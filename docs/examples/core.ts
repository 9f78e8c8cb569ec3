// Examples of docs/guides/core.md. Typechecked with the repository; not run by CI.
import {
  createCatalog,
  createEventBus,
  createGateway,
  createTenantDirectory,
  Forge1Error,
  type KeyPoolV1,
  type ProviderAdapterV1,
  type RouterV1,
  runWithContext,
  type TenantPolicy,
  type TenantStoreV1,
} from '@forge1/core';
import {
  createFakeClock,
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
} from '@forge1/core/testing';

declare const router: RouterV1;
declare const keys: KeyPoolV1;
declare const openaiAdapter: ProviderAdapterV1;

// --- negotiated prices and private models
const catalog = createCatalog({
  overrides: { 'gpt-4.1': { prices: { inputPerMillionMicros: 1_800_000 } } },
  models: [
    {
      id: 'llama-3.3-70b',
      provider: 'vllm',
      tier: 'standard',
      contextWindow: 128_000,
      maxOutputTokens: 8_192,
      prices: {
        inputPerMillionMicros: 200_000,
        outputPerMillionMicros: 200_000,
        cachedInputPerMillionMicros: 0,
      },
      quality: 0.72,
      pricesAsOf: '2026-02-01',
    },
  ],
});
catalog.costOf('gpt-4.1', { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0 }); // 3400 µ$

// --- the gateway
const events = createEventBus();
const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise' }] });
const gateway = createGateway({
  tenants,
  router,
  keys,
  providers: { openai: openaiAdapter },
  catalog,
  events,
  keyAttempts: 3,
  attemptTimeoutMs: 30_000,
});

// --- one answer, and what it cost
const answer = await gateway.chat({
  tenant: 'acme',
  employee: 'e-42',
  user: 'u-7',
  messages: [
    { role: 'system', content: 'You answer for Acme support.' },
    { role: 'user', content: 'Where is my order #123?' },
  ],
  maxTokens: 300,
  metadata: { feature: 'support-chat' },
});
console.log(
  answer.text,
  `${answer.provider}/${answer.model}`,
  answer.costMicros,
  answer.cascaded,
  answer.fellBack,
);
for (const attempt of answer.attempts)
  console.log(attempt.attempt, attempt.model, attempt.ok, attempt.errorCode);

// --- streaming
const controller = new AbortController();
const stream = gateway.stream({
  tenant: 'acme',
  messages: [{ role: 'user', content: 'Write a haiku about invoices' }],
  signal: controller.signal,
});
for await (const chunk of stream) {
  if (chunk.type === 'text-delta') process.stdout.write(chunk.text);
}
const final = await stream.final();
console.log(final.usage, final.costMicros);

// --- errors: branch on the stable code
try {
  await gateway.chat({ tenant: 'acme', messages: [{ role: 'user', content: 'Hi' }] });
} catch (error) {
  if (Forge1Error.is(error, 'budget_exceeded') || Forge1Error.is(error, 'quota_exceeded')) {
    console.log('limit reached; retry after', (error as { resetsAt?: number }).resetsAt);
  } else if (Forge1Error.is(error) && error.retryable) {
    console.log('try again in', error.retryAfterMs, 'ms');
  } else throw error;
}

// --- attribution from the request context
await runWithContext({ tenantId: 'acme', userId: 'u-7', employeeId: 'e-42' }, async () => {
  await gateway.chat({ messages: [{ role: 'user', content: 'Hello' }] }); // tenant and people from the context
});

// --- tenants kept in your own database
declare const database: {
  findTenant(id: string): Promise<TenantPolicy | undefined>;
  allTenants(): Promise<TenantPolicy[]>;
  saveTenant(policy: TenantPolicy): Promise<void>;
  deleteTenant(id: string): Promise<number>;
};
const store: TenantStoreV1 = {
  specificationVersion: 'v1',
  get: (id) => database.findTenant(id),
  list: () => database.allTenants(),
  put: (policy) => database.saveTenant(policy),
  delete: async (id) => (await database.deleteTenant(id)) > 0,
};
const ownTenants = createTenantDirectory({ store });
await ownTenants.create({ id: 'globex', tier: 'professional', industry: 'retail' });
await ownTenants.update('globex', { budget: { monthlyMicros: 100_000_000 } });

// --- testing your wiring without providers
const clock = createFakeClock();
const meter = createRecordingMeter();
const testGateway = createGateway({
  tenants: createTenantDirectory({ tenants: [{ id: 't1', tier: 'standard' }] }),
  router: createStaticRouter({ provider: 'openai', model: 'gpt-4o-mini' }),
  keys: createStaticKeyPool(),
  providers: { openai: createScriptedAdapter('openai', () => ({ text: 'Hello there' })) },
  meter,
  clock,
});
await testGateway.chat({ tenant: 't1', messages: [{ role: 'user', content: 'Hi' }] });
console.log(meter.records.length); // 1

await gateway.close();
