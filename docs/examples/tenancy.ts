// Examples of docs/concepts/tenancy.md. Typechecked, not run.
import { createTenantDirectory, type Gateway, runWithContext } from '@forge1/core';

declare const gateway: Gateway;

const tenants = createTenantDirectory({
  tiers: { standard: { dailyRequests: 2_000 } },
  tenants: [
    {
      id: 'northwind',
      name: 'Northwind Bank',
      tier: 'enterprise',
      industry: 'finance',
      preference: 'quality',
    },
    {
      id: 'mediq',
      tier: 'professional',
      industry: 'healthcare',
      budget: { monthlyMicros: 300_000_000, alertThresholds: [0.5, 0.9, 1], onExceeded: 'downgrade' },
    },
    {
      id: 'pixelpush',
      tier: 'standard',
      industry: 'tech',
      preference: 'cost',
      allowedProviders: ['openai', 'google'],
    },
  ],
});

const policy = await tenants.resolve('pixelpush');
console.log(policy.limits.dailyRequests); // 2000: the directory's standard tier
await tenants.update('pixelpush', { tier: 'professional' }); // tier defaults are applied again
await tenants.remove('pixelpush');

// Attribution from the request context: set it once per incoming request.
async function handle(request: {
  tenant: string;
  userId: string;
  messages: Array<{ role: 'user'; content: string }>;
}) {
  return runWithContext(
    { tenantId: request.tenant, userId: request.userId },
    () => gateway.chat({ messages: request.messages }), // tenant and user come from the context
  );
}
await handle({ tenant: 'northwind', userId: 'u-7', messages: [{ role: 'user', content: 'Hello' }] });
