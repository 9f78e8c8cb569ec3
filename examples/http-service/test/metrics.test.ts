import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.ts';
import type { ProviderSetup } from '../src/upstream.ts';
import { parsePrometheus, type Sample } from './prometheus-text.ts';
import { createTestClient } from './test-client.ts';

const secrets = {
  openai: 'sk-test-openai-metrics-9d2c4b6a',
  anthropic: 'sk-ant-test-metrics-1f3e5a7c',
  google: 'AIzaTestGoogleMetrics5b7d9f1',
};
const metricsToken = 'tok-metrics-3c5e7a9b1d';
const prompt = 'My card number is 4111-PROMPT-TEXT, what is the weather in Oslo?';

let emulator: ProviderEmulator;
let server: RunningServer;
const client = createTestClient(() => server.url);
let samples: Sample[] = [];
let scrape = '';

beforeAll(async () => {
  emulator = await startProviderEmulator({ seed: 11 });
  const providers: ProviderSetup[] = (['openai', 'anthropic', 'google'] as const).map((provider) => ({
    provider,
    baseURL: emulator.urls[provider],
    keys: [{ id: `${provider}-a`, secret: secrets[provider] }],
  }));
  server = await startServer({
    port: 0,
    // These tests stand for a service behind an authenticating gateway: x-tenant-id is trusted.
    trustTenantHeader: true,
    providers,
    tenants: [
      { id: 'acme-bank', tier: 'enterprise', industry: 'finance' },
      { id: 'pixel-labs', tier: 'standard', industry: 'tech' },
    ],
    resilience: { retry: false },
    metricsToken,
  });
  const messages = [{ role: 'user', content: prompt }];
  for (const tenant of ['acme-bank', 'pixel-labs', 'acme-bank']) {
    expect((await client.chat({ messages }, { 'x-tenant-id': tenant })).status).toBe(200);
  }
  expect((await client.chat({ messages, stream: true }, { 'x-tenant-id': 'pixel-labs' })).status).toBe(200);
  expect((await client.chat({ messages }, { 'x-tenant-id': 'nobody-inc' })).status).toBe(404);
  const answer = await client.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  scrape = answer.text;
  samples = parsePrometheus(scrape);
});

afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

const find = (name: string, labels: Record<string, string> = {}) =>
  samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
const sum = (name: string, labels: Record<string, string> = {}) =>
  find(name, labels).reduce((total, sample) => total + sample.value, 0);

describe('GET /metrics', () => {
  it('refuses a scrape without the metrics token', async () => {
    expect((await client.request('/metrics')).status).toBe(401);
    expect((await client.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
  });

  it('serves GenAI token usage histograms by token type, per provider and model', () => {
    const input = find('gen_ai_client_token_usage_count', {
      gen_ai_token_type: 'input',
      gen_ai_operation_name: 'chat',
    });
    expect(input.length).toBeGreaterThan(0);
    expect(input.reduce((total, sample) => total + sample.value, 0)).toBeGreaterThanOrEqual(4);
    expect(sum('gen_ai_client_token_usage_sum', { gen_ai_token_type: 'output' })).toBeGreaterThan(0);
    const buckets = find('gen_ai_client_token_usage_bucket', { gen_ai_token_type: 'input' });
    expect(new Set(buckets.map((sample) => sample.labels.le))).toContain('+Inf');
  });

  it('serves the operation duration in seconds and the requests per tenant and outcome', () => {
    expect(sum('gen_ai_client_operation_duration_count')).toBeGreaterThanOrEqual(4);
    expect(sum('forge1_requests_total', { forge1_tenant: 'acme-bank', forge1_outcome: 'ok' })).toBe(2);
    expect(sum('forge1_requests_total', { forge1_tenant: 'pixel-labs', forge1_outcome: 'ok' })).toBe(2);
    expect(sum('forge1_requests_total', { forge1_tenant: 'nobody-inc', error_type: 'unknown_tenant' })).toBe(
      1,
    );
  });

  it('serves the cost per tenant, matching the usage the service reports', async () => {
    const usage = await client.request('/v1/tenants/acme-bank/usage', {
      headers: { 'x-tenant-id': 'acme-bank' },
    });
    const { totals } = usage.json<{ totals: { costMicros: number } }>();
    expect(sum('forge1_cost_total', { forge1_tenant: 'acme-bank' })).toBe(totals.costMicros);
    expect(totals.costMicros).toBeGreaterThan(0);
  });

  it('serves the router decision latency and the decisions per level and model tier', () => {
    expect(sum('forge1_router_decision_duration_count')).toBe(4);
    expect(find('forge1_router_decision_duration_count', { forge1_tier: 'enterprise' })).not.toEqual([]);
    const decisions = find('forge1_router_decisions_total');
    expect(decisions.reduce((total, sample) => total + sample.value, 0)).toBe(4);
    expect(decisions.every((sample) => sample.labels.forge1_model_tier !== undefined)).toBe(true);
  });

  it('serves key utilisation, in-flight calls and state per key, and queue depth per provider', () => {
    const keys = find('forge1_key_utilization').map((sample) => sample.labels.forge1_key_id);
    expect(new Set(keys)).toEqual(new Set(['openai-a', 'anthropic-a', 'google-a']));
    expect(
      find('forge1_key_state', { forge1_key_id: 'openai-a', forge1_key_state: 'active' })[0]?.value,
    ).toBe(1);
    expect(
      find('forge1_key_queue_depth')
        .map((sample) => sample.labels.gen_ai_provider_name)
        .sort(),
    ).toEqual(['anthropic', 'gcp.gemini', 'openai']);
  });

  it('serves each tenant’s spend this period from the guard', () => {
    expect(sum('forge1_budget_spent', { forge1_tenant: 'acme-bank' })).toBeGreaterThan(0);
    expect(find('forge1_budget_utilization', { forge1_tenant: 'acme-bank' })[0]?.value).toBeGreaterThan(0);
  });

  it('serves the meter’s sink lag and journal size', () => {
    expect(find('forge1_meter_sink_lag').map((sample) => sample.labels.forge1_sink)).toHaveLength(1);
    expect(find('forge1_meter_journal_size')).toHaveLength(1);
  });

  it('shows no provider key, no bearer token and no prompt text', () => {
    for (const secret of [...Object.values(secrets), metricsToken]) expect(scrape).not.toContain(secret);
    expect(scrape).not.toContain('4111-PROMPT-TEXT');
    expect(scrape).not.toContain('Oslo');
  });
});
