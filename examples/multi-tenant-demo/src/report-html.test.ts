import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from './report-html.ts';
import type { DemoSummary } from './summary.ts';

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!executablePath)
  console.warn(
    'report-html.test: no Chromium at /usr/bin/chromium; browser test skipped (apt-get install chromium)',
  );

const summary: DemoSummary = {
  durationMs: 12_345,
  requests: 30,
  tenants: [
    {
      id: 'acme',
      name: 'Acme <Bank> & "Co"',
      tier: 'enterprise',
      requests: 20,
      served: 20,
      errors: 0,
      errorCodes: {},
      records: 22,
      inputTokens: 4000,
      outputTokens: 1000,
      costMicros: 123_456,
      budgetMicros: 1_000_000,
      budgetUsed: 0.123456,
      modelSplit: { 'gpt-5': 17, 'claude-opus-4-6': 2, 'gpt-5-mini': 1 },
      cascadeRate: 0.1,
      fallbackRate: 0.05,
      savingsRate: 0.2,
      baselineCostMicros: 150_000,
    },
    {
      id: 'tiny',
      name: 'Tiny',
      tier: 'standard',
      requests: 12,
      served: 10,
      errors: 2,
      errorCodes: { budget_exceeded: 2 },
      records: 10,
      inputTokens: 500,
      outputTokens: 200,
      costMicros: 900,
      budgetMicros: null,
      budgetUsed: null,
      modelSplit: { 'gpt-5-nano': 10 },
      cascadeRate: 0,
      fallbackRate: 0,
      savingsRate: 0.8,
      baselineCostMicros: 4500,
    },
  ],
  keys: [
    {
      keyId: 'openai-1',
      provider: 'openai',
      requests: 20,
      rateLimited: 0,
      meanUtilisation: 0.4,
      peakUtilisation: 0.7,
      state: 'active',
    },
    {
      keyId: 'anthropic-1',
      provider: 'anthropic',
      requests: 12,
      rateLimited: 0,
      meanUtilisation: 0.2,
      peakUtilisation: 0.5,
      state: 'active',
    },
  ],
  providerRateLimits: 0,
  heldBack: 3,
  providers: [
    { provider: 'openai', keys: 1, served: 20, queued: 0 },
    { provider: 'anthropic', keys: 1, served: 12, queued: 3 },
  ],
  circuitEvents: [
    { at: 1000, type: 'circuit.open', provider: 'anthropic', model: 'claude-opus-4-6' },
    { at: 4000, type: 'circuit.halfOpen', provider: 'anthropic', model: 'claude-opus-4-6' },
    { at: 4200, type: 'circuit.close', provider: 'anthropic', model: 'claude-opus-4-6' },
    { at: 1500, type: 'circuit.open', provider: 'anthropic', model: 'claude-haiku-4-5' },
  ],
  budgetAlerts: [{ at: 6000, tenantId: 'tiny', threshold: 0.8 }],
  outage: { provider: 'anthropic', fromMs: 800, toMs: 5000 },
  showcase: {
    image: {
      tenantId: 'tiny',
      model: 'openai/gpt-5-nano',
      inputTokens: 120,
      outputTokens: 30,
      costMicros: 18,
    },
    embedding: {
      tenantId: 'acme',
      model: 'openai/text-embedding-3-small',
      vectors: 2,
      dimensions: 1536,
      inputTokens: 14,
      costMicros: 1,
    },
  },
  costTimeline: { acme: [0, 50_000, 123_456], tiny: [0, 400, 900] },
  overall: {
    costMicros: 124_356,
    baselineCostMicros: 154_500,
    savingsRate: 0.195,
    smallModelShare: 0.33,
    cascadeRate: 0.07,
    fallbackRate: 0.03,
  },
};

describe.skipIf(!executablePath)('the HTML report in headless Chromium', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const html = renderHtmlReport(summary);
    server = createServer((_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(html),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads without console errors and draws labelled charts, the outage, circuits, errors and alerts', async () => {
    const browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(url);
      await page.waitForSelector('body[data-charts="drawn"]', { timeout: 10_000 });
      expect(problems).toEqual([]);
      // One line per tenant in the cost chart, one bar per tenant and model, two bars per key.
      expect(await page.locator('#cost-chart path[data-series]').count()).toBe(2);
      expect(await page.locator('#model-chart rect[data-model]').count()).toBe(4);
      expect(await page.locator('#key-chart rect[data-key]').count()).toBe(2);
      const costPath = await page.locator('#cost-chart path[data-series="acme"]').getAttribute('d');
      expect(costPath?.split(/[ML]/).filter(Boolean)).toHaveLength(3);
      // Every chart has titled axes with ticks.
      for (const chart of ['cost-chart', 'model-chart', 'key-chart', 'circuit-chart']) {
        expect(await page.locator(`#${chart} .axis-title`).count()).toBeGreaterThan(0);
        expect(await page.locator(`#${chart} .tick-x`).count()).toBeGreaterThanOrEqual(3);
      }
      expect(await page.locator('#cost-chart .tick-y').count()).toBeGreaterThanOrEqual(3);
      // The outage is shaded in both time charts.
      expect(await page.locator('rect[data-outage="anthropic"]').count()).toBe(2);
      // Circuit timeline: a lane per model whose circuit changed, a segment per state change.
      expect(await page.locator('#circuit-chart rect[data-circuit]').count()).toBe(4);
      expect(
        await page
          .locator('#circuit-chart rect[data-circuit="anthropic/claude-opus-4-6"][data-state="circuit.open"]')
          .count(),
      ).toBe(1);
      // A slice of one request in twenty is still drawn, with its percentage in the title.
      const small = page.locator('#model-chart rect[data-model="gpt-5-mini"]');
      expect(Number(await small.getAttribute('width'))).toBeGreaterThanOrEqual(3);
      expect(await small.locator('title').textContent()).toContain('5.0%');
      // Legends use tenant names, as the table does, never ids.
      const legends = await page.locator('#cost-chart .legend').allTextContents();
      expect(legends).toEqual(['Acme <Bank> & "Co"', 'Tiny']);
      // Errors and alerts per tenant; failed requests count in the requests column.
      expect(
        await page
          .locator('#incidents tr[data-tenant="tiny"] .error-code[data-code="budget_exceeded"]')
          .count(),
      ).toBe(1);
      expect(await page.locator('#incidents tr[data-tenant="tiny"] .alert').textContent()).toContain('80.0%');
      expect(await page.locator('#tenants tbody tr').nth(1).locator('td').nth(2).textContent()).toBe('12');
      // Names are escaped in the table and drawn as text, never interpreted as markup.
      expect(await page.locator('table').first().textContent()).toContain('Acme <Bank> & "Co"');
      // The image request and the embeddings request have their own rows.
      expect(await page.locator('#showcase tr[data-kind="image"]').count()).toBe(1);
      expect(await page.locator('#showcase tr[data-kind="embedding"] td').nth(4).textContent()).toBe(
        '2 vectors of 1536',
      );
      // Served and queued requests per provider.
      expect(await page.locator('#providers tbody tr').count()).toBe(2);
      expect(await page.locator('#providers tr[data-provider="anthropic"] td').nth(3).textContent()).toBe(
        '3',
      );
      // The page is laid out in columns rather than one narrow strip.
      const width = (await page.locator('body').boundingBox())?.width ?? 0;
      expect(width).toBeGreaterThan(900);
    } finally {
      await browser.close();
    }
  });
});
