// The smallest working gateway: the provider emulator, one tenant, one key.
// Run (after `npm run build`): npx node docs/examples/getting-started-minimal.ts
import { withResilience } from '@forge1/adapters';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { openai } from '@forge1/adapters/openai';
import { createGateway, createTenantDirectory } from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createRouter } from '@forge1/router';

// A local server speaking the OpenAI, Anthropic and Gemini wire formats: no network, no real key.
const emulator = await startProviderEmulator({ keys: { 'sk-demo-1': { rpm: 60, tpm: 100_000 } } });

const gateway = createGateway({
  tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
  router: createRouter({ providers: ['openai'] }),
  keys: createKeyPool({
    keys: [{ id: 'openai-1', provider: 'openai', secret: 'sk-demo-1', rpm: 60, tpm: 100_000 }],
  }),
  providers: { openai: withResilience(openai({ baseURL: emulator.urls.openai })) },
});

const answer = await gateway.chat({
  tenant: 'acme',
  user: 'u-1',
  messages: [{ role: 'user', content: 'Hello! What are your opening hours?' }],
});
console.log(answer.level, answer.model, answer.costMicros, answer.text);

await gateway.close();
await emulator.close();
