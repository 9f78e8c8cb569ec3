import { describe, expect, it } from 'vitest';
import { createTenantDirectory } from '../tenant-directory.js';
import { createTestGateway, testMessages } from './test-gateway.js';

describe('prompt caching from the tenant policy', () => {
  const tenants = () =>
    createTenantDirectory({
      tenants: [
        { id: 'acme', tier: 'enterprise', promptCache: { ttl: '1h' } },
        { id: 'plain', tier: 'standard' },
      ],
    });

  it('marks the requests of a tenant whose policy enables caching, and no others', async () => {
    const { gateway, openai } = createTestGateway({ tenants: tenants() });
    await gateway.chat({ tenant: 'acme', messages: testMessages });
    await gateway.chat({ tenant: 'plain', messages: testMessages });
    expect(openai.calls.map((call) => call.request.cache)).toEqual([{ ttl: '1h' }, undefined]);
  });

  it('keeps the cache option a request sets itself', async () => {
    const { gateway, openai } = createTestGateway({ tenants: tenants() });
    await gateway.chat({ tenant: 'acme', messages: testMessages, cache: { ttl: '5m' } });
    expect(openai.calls[0]?.request.cache).toEqual({ ttl: '5m' });
  });
});
