import type { GatewayEmbedResult, GatewayResult } from '@forge1/core';
import type { DemoStack } from './setup.ts';

// A 1×1 PNG: the smallest real image, so the emulator reads its size from the header as a provider would.
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** The two requests beside the chat workload that the report shows on their own. */
export interface Showcase {
  /** A chat whose user message carries an image part. */
  image: GatewayResult;
  /** An embeddings call through the same gateway: tenancy, guard, key pool, metering. */
  embedding: GatewayEmbedResult;
}

/**
 * Sends one image request and one embeddings request through the demo's gateway, from tenants whose
 * budgets the workload leaves room in (the startup's is nearly spent by then).
 */
export async function runShowcase(stack: DemoStack): Promise<Showcase> {
  const image = await stack.gateway.chat({
    tenant: 'mediq-clinics',
    employee: 'admin-abe',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe this product photo for the shop listing in one sentence.' },
          { type: 'image', data: PIXEL_PNG, mediaType: 'image/png' },
        ],
      },
    ],
  });
  const embedding = await stack.gateway.embed({
    tenant: 'northwind-bank',
    employee: 'analyst-ana',
    input: ['Quarterly variance report: operating costs 4% over plan', 'Loan covenant breach notice'],
  });
  return { image, embedding };
}
