import { type ChatRequest, createSeededRandom } from '@forge1/core';

/** One request of the demo's workload. */
export interface WorkItem {
  tenant: string;
  employee: string;
  user: string;
  request: ChatRequest;
}

/** Who the demo's tenants are and how much each sends. */
export interface TenantProfile {
  id: string;
  employees: string[];
  users: string[];
  /** Relative share of the workload. */
  weight: number;
  /** Prompt families this tenant uses most, by weight. */
  mix: Partial<Record<PromptFamily, number>>;
}

type PromptFamily = 'chitchat' | 'howto' | 'analysis' | 'incident' | 'code' | 'extraction' | 'summary';

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const subjects = [
  'the quarterly report',
  'our onboarding flow',
  'the refund policy',
  'the patient intake form',
  'the API gateway',
  'the checkout page',
  'the loan application',
];
const services = ['payments-api', 'ledger-service', 'claims-worker', 'search-indexer', 'auth-proxy'];

const families: Record<PromptFamily, (random: () => number) => ChatRequest> = {
  chitchat: (random) => ({
    messages: [
      {
        role: 'user',
        content: pick(random, [
          'Hi there!',
          'Thanks, that helps.',
          'Good morning, is the assistant online?',
          'What time zone are you using?',
          'Hello, quick check: are you working today?',
        ]),
      },
    ],
    maxTokens: 60,
  }),
  howto: (random) => ({
    messages: [
      { role: 'system', content: 'You are a helpful support assistant.' },
      { role: 'user', content: `How do I update ${pick(random, subjects)}? Explain the steps briefly.` },
    ],
    maxTokens: 300,
  }),
  analysis: (random) => ({
    messages: [
      { role: 'system', content: 'You are a senior analyst. Be precise.' },
      {
        role: 'user',
        content: `Analyse and compare two options for ${pick(random, subjects)}: option A keeps the current vendor, option B migrates in two phases. Evaluate the trade-offs in cost, risk and time, design a rollout plan, and recommend one. ${'Consider staffing, compliance reviews and the budget for next year. '.repeat(1 + Math.floor(random() * 3))}`,
      },
    ],
    maxTokens: 900,
  }),
  incident: (random) => ({
    messages: [
      {
        role: 'user',
        content: `URGENT: critical production incident. ${pick(random, services)} is down and we suspect a security breach: unauthorised access to customer records was detected in the audit log. What are the immediate containment steps, and what must we report for compliance (GDPR, PCI-DSS)? Root cause analysis needed.\n\nLogs:\n2026-11-23T10:01:22Z ERROR auth token signature mismatch user=4411\n2026-11-23T10:01:23Z WARN  privilege escalation attempt role=admin\n2026-11-23T10:01:25Z ERROR export of 12000 rows by service account`,
      },
    ],
    maxTokens: 1200,
  }),
  code: (random) => ({
    messages: [
      {
        role: 'user',
        content: `Our ${pick(random, services)} crashes under load. Troubleshoot this stack trace and suggest a fix:\n\nTypeError: Cannot read properties of undefined (reading 'amount')\n    at settle (/srv/app/ledger.js:88:31)\n    at processBatch (/srv/app/batch.js:41:9)\n    at async Worker.run (/srv/app/worker.js:17:5)\n\n\`\`\`js\nfunction settle(entry) {\n  return entry.lines.reduce((sum, line) => sum + line.amount, 0);\n}\n\`\`\``,
      },
    ],
    maxTokens: 700,
  }),
  // A host feature built and evaluated on one model asks for it by name; the router honours the hint.
  summary: (random) => ({
    model: 'claude-haiku-4-5',
    messages: [
      {
        role: 'user',
        content: `Summarise this support call in two sentences for the case file: the caller asked about ${pick(random, subjects)}, was transferred once, and agreed to a follow-up call ${pick(random, ['tomorrow', 'next week', 'on Friday'])}.`,
      },
    ],
    maxTokens: 120,
  }),
  extraction: (random) => ({
    messages: [
      {
        role: 'user',
        content: `Extract the customer name, order id and complaint category from this message as JSON: "Hello, this is ${pick(random, ['Dana Kim', 'Luis Ortega', 'Amara Singh', 'Tom Becker'])}, order ${1000 + Math.floor(random() * 9000)} arrived damaged and I want a refund."`,
      },
    ],
    responseFormat: {
      type: 'json',
      schema: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          orderId: { type: 'string' },
          category: { type: 'string', enum: ['damage', 'delay', 'billing', 'other'] },
        },
        required: ['name', 'orderId', 'category'],
      },
    },
    maxTokens: 200,
  }),
};

function pickFamily(random: () => number, mix: TenantProfile['mix']): PromptFamily {
  const entries = Object.entries(mix) as Array<[PromptFamily, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [family, weight] of entries) {
    roll -= weight;
    if (roll <= 0) return family;
  }
  return entries.at(-1)![0];
}

/**
 * The demo's workload: `count` requests spread over the tenants by weight, each with a prompt
 * family drawn from the tenant's mix. Deterministic for a given seed.
 */
export function buildWorkload(tenants: readonly TenantProfile[], count: number, seed: number): WorkItem[] {
  const random = createSeededRandom(seed);
  const totalWeight = tenants.reduce((sum, t) => sum + t.weight, 0);
  const items: WorkItem[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random() * totalWeight;
    let cumulative = 0;
    const tenant =
      tenants.find((t) => {
        cumulative += t.weight;
        return roll < cumulative;
      }) ?? tenants.at(-1)!;
    const family = pickFamily(random, tenant.mix);
    items.push({
      tenant: tenant.id,
      employee: pick(random, tenant.employees),
      user: pick(random, tenant.users),
      request: { ...families[family](random), metadata: { family } },
    });
  }
  return items;
}
