import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoObservations, runDemo } from './demo.ts';
import { renderHtmlReport } from './report-html.ts';
import { formatReport } from './report-text.ts';
import type { DemoStack } from './setup.ts';
import { type DemoSummary, summarise } from './summary.ts';
import { verifyAgainstStore } from './verify.ts';

describe('the multi-tenant demo (shortened run)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forge1-demo-'));
  let stack: DemoStack;
  let observed: DemoObservations;
  let summary: DemoSummary;

  beforeAll(async () => {
    ({ stack, observed } = await runDemo({
      requests: 400,
      concurrency: 24,
      seed: 7,
      dataDir,
      windowMs: 10_000,
      outage: [0.2, 0.6],
      showProgress: false,
    }));
    summary = await summarise(stack, observed);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves every tenant and reports figures equal to what the SQLite file holds', async () => {
    expect(summary.tenants.map((t) => t.requests).every((n) => n > 0)).toBe(true);
    const check = await verifyAgainstStore(summary, stack.usage);
    expect(check.mismatches).toEqual([]);
    expect(check.records).toBe(summary.tenants.reduce((sum, t) => sum + t.records, 0));
    expect(check.records).toBeGreaterThanOrEqual(observed.results.length);
  });

  it('falls back and opens a circuit during the Anthropic outage, and sends no request into a 429', () => {
    expect(observed.results.some((r) => r.fellBack)).toBe(true);
    expect(summary.circuitEvents.some((e) => e.type === 'circuit.open' && e.provider === 'anthropic')).toBe(
      true,
    );
    expect(summary.providerRateLimits).toBe(0);
  });

  it('routes the startup tenant to cheaper models than the bank and reports savings', () => {
    const cost = (id: string) => {
      const tenant = summary.tenants.find((t) => t.id === id)!;
      return tenant.costMicros / Math.max(1, tenant.served);
    };
    expect(cost('pixelpush')).toBeLessThan(cost('northwind-bank'));
    expect(summary.overall.savingsRate).toBeGreaterThan(0);
    expect(summary.overall.baselineCostMicros).toBeGreaterThan(summary.overall.costMicros);
  });

  it('leaves no provider with keys idle while requests queue for another provider', () => {
    const queued = summary.providers.filter((p) => p.queued > 0);
    if (queued.length > 0)
      for (const provider of summary.providers) expect(provider.served).toBeGreaterThan(0);
    expect(summary.providers.map((p) => p.provider).sort()).toEqual(['anthropic', 'google', 'openai']);
  });

  it('prints a report with every tenant and key', () => {
    const text = formatReport(summary);
    for (const tenant of summary.tenants) expect(text).toContain(tenant.name);
    for (const key of summary.keys) expect(text).toContain(key.keyId);
    const html = renderHtmlReport(summary);
    for (const id of ['cost-chart', 'model-chart', 'key-chart']) expect(html).toContain(`id="${id}"`);
    for (const tenant of summary.tenants) expect(html).toContain(tenant.name);
  });
});
