import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { forge1EventNames } from '@forge1/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runDemo } from './demo.ts';
import { renderHtmlReport } from './report-html.ts';
import { formatReport } from './report-text.ts';
import { summarise } from './summary.ts';

// Everything the library emits while serving the demo workload with distinctive key secrets,
// including 401s from a key revoked midway and 503s from an outage, must be free of secrets.
describe('secret hygiene on the demo workload', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forge1-hygiene-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('never emits a key secret in logs, events, errors, usage records, stats, files or the report', async () => {
    const emitted: string[] = [];
    const capture = (chunk: unknown) => {
      emitted.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const consoleSpies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) =>
          capture(args.map((a) => inspect(a, { depth: 10 })).join(' ')),
        ),
    );
    let secrets: string[] = [];
    try {
      const { stack, observed } = await runDemo({
        requests: 300,
        concurrency: 16,
        seed: 11,
        dataDir,
        windowMs: 10_000,
        outage: [0.3, 0.5],
        revokeKeyAt: 0.2,
        showProgress: true,
        onReady: (built) => {
          for (const name of forge1EventNames)
            built.events.on(name, (payload) => emitted.push(inspect(payload, { depth: 10 })));
        },
      });
      secrets = stack.secrets;
      await stack.gateway
        .chat({ tenant: 'pixelpush', messages: [{ role: 'user', content: 'Hello again' }] })
        .catch((error: unknown) => {
          emitted.push(inspect(error, { depth: 10 }));
        });
      const summary = await summarise(stack, observed);
      emitted.push(formatReport(summary), renderHtmlReport(summary));
      for (const { error } of observed.errors)
        emitted.push(inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error));
      for (const result of observed.results) emitted.push(JSON.stringify(result));
      emitted.push(
        JSON.stringify(stack.pool.stats()),
        JSON.stringify(stack.router.stats()),
        JSON.stringify(stack.meter.stats()),
      );
      for (const tenant of summary.tenants) {
        emitted.push(
          await stack.usage.exportTenant(tenant.id, 'json'),
          await stack.usage.exportTenant(tenant.id, 'csv'),
        );
      }
      await stack.close();
      expect(observed.errors.length + observed.results.length).toBe(300 + 1); // the workload, and the image request beside it
      expect(stack.pool.stats().keys.find((k) => k.keyId === 'openai-shared-1')?.state).toBe('disabled');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      for (const spy of consoleSpies) spy.mockRestore();
    }
    // Files the run left: the SQLite database, its journal, the report.
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : [path];
      });
    for (const file of walk(dataDir)) emitted.push(readFileSync(file).toString('latin1'));

    expect(secrets.length).toBeGreaterThan(4);
    const haystack = emitted.join('\n');
    expect(haystack.length).toBeGreaterThan(10_000);
    const leaks = secrets.filter(
      (secret) => haystack.includes(secret) || haystack.includes(secret.slice(-12)),
    );
    expect(leaks).toEqual([]);
  }, 120_000);
});
