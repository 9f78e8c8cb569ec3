// Examples of docs/concepts/routing-and-cascades.md and docs/guides/router.md. Typechecked, not run.
import { readFile, writeFile } from 'node:fs/promises';
import { createEventBus, createTenantDirectory, type Gateway } from '@forge1/core';
import { analyzeRequest, createRouter } from '@forge1/router';

declare const gateway: Gateway;

// --- what the analysis sees
const analysis = analyzeRequest(
  {
    messages: [
      {
        role: 'user',
        content: 'Our payment API is down since 09:12 and customers are charged twice. What do we do?',
      },
    ],
  },
  { role: 'on-call' },
);
console.log(analysis.level, analysis.score, analysis.confidence);
console.log(analysis.reasons); // e.g. 'incident / breach / harm keywords ×2 (+0.28)', …
console.log(analysis.signals.families.critical, analysis.signals.code, analysis.signals.questions);

// --- a router for the providers you have keys for, with your own ladder
const router = createRouter({
  providers: ['openai', 'anthropic', 'google'],
  ladder: {
    small: ['gpt-5-nano', 'gemini-2.5-flash-lite'],
    standard: ['gpt-5-mini', 'claude-sonnet-4-6'],
    advanced: ['claude-opus-4-6', 'gpt-5'],
  },
  profiles: { retail: { shift: 0 } }, // retail no longer leans toward cost
  preferences: { quality: 1 }, // "quality" tenants go one whole tier up
  floors: { critical: 'advanced', complex: 'standard' },
  cascade: { threshold: 0.6, maxEscalations: 1, hedgingPhrases: ['i am not sure', 'i think'] },
  maxFallbacks: 2,
  events: createEventBus(),
});

// --- the decision for one request and one tenant
const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise', industry: 'finance' }] });
const policy = await tenants.resolve('acme');
const decision = router.decide(
  { messages: [{ role: 'user', content: 'Reconcile these two ledgers and explain the variance.' }] },
  policy,
  {
    context: { tenantId: 'acme', requestId: 'r-1', startedAt: Date.now() },
    remainingBudgetMicros: 50_000,
    estimatedInputTokens: 400,
  },
);
console.log(decision.level, decision.provider, decision.model, decision.estimatedCostMicros);
console.log(decision.fallbacks); // same tier, other providers
console.log(decision.ladder); // stronger rungs for the cascade
console.log(decision.reasons);

// --- the cheapest model above a quality floor, instead of the tier ladder
const thrifty = createRouter({ strategy: 'cost-efficiency', minimumQuality: { moderate: 0.75 } });
thrifty.analyze({ messages: [{ role: 'user', content: 'Explain how compound interest works' }] });

// --- statistics from the gateway's events
const stop = router.attach(gateway.events);
const stats = router.stats();
console.log(stats.cascadeRate, stats.fallbackRate, stats.smallModelShare, stats.savingsRate);
console.log(stats.tenants.acme?.byModel);
stop();

// --- learning per tenant from outcomes
const learning = createRouter({ learner: { enabled: true, lambda: 4, minimumObservations: 20 } });
learning.attach(gateway.events);
gateway.events.on('cascade', ({ requestId, tenantId, from, to }) =>
  learning.feedback({ requestId, tenantId, outcome: { type: 'cascade', from: from.model, to: to.model } }),
);
// A user's thumbs-up or rating (1..5) for an answer:
learning.feedback({ requestId: 'r-1', tenantId: 'acme', outcome: { type: 'rating', score: 5 } });
// Keep what was learned across restarts:
await writeFile('router-state.json', JSON.stringify(learning.exportState()));
learning.importState(await readFile('router-state.json', 'utf8'));
