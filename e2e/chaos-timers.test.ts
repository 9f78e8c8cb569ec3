import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Runs an ES module script in a fresh Node 24 process, from the package sources. */
function runScript(source: string) {
  return spawnSync(
    `${root}node_modules/.bin/node`,
    ['--import', './e2e/workers/source-hooks.ts', '--input-type=module', '--eval', source],
    { cwd: root, encoding: 'utf8', timeout: 20_000 },
  );
}

// Found by the chaos script: a request whose only pending work is one of its own timers (a retry
// backoff, a key cooldown) must keep the process alive; only housekeeping timers are unref'd
// (`background: true`). Before the fix, a host script that awaited gateway.chat() died with
// "unsettled top-level await" (exit code 13) instead of getting its answer.
describe('timers of a request in flight', () => {
  it('keep the process alive while withResilience backs off before a retry', () => {
    const run = runScript(`
      import { withResilience } from '@forge1/adapters';
      import { ProviderUnavailableError, Secret } from '@forge1/core';
      let calls = 0;
      const adapter = {
        specificationVersion: 'v1',
        provider: 'p',
        async chat(request) {
          if (calls++ === 0) throw new ProviderUnavailableError('down', { provider: 'p', status: 503 });
          return { text: 'ok', toolCalls: [], finishReason: 'stop', provider: 'p', model: request.model,
            usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }, latencyMs: 0 };
        },
        async *stream() {},
      };
      const resilient = withResilience(adapter, {
        retry: { retries: 1, minDelayMs: 50, maxDelayMs: 50 },
        breaker: false,
        random: () => 0.99,
      });
      const result = await resilient.chat(
        { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
        { apiKey: new Secret('sk-timer-test-0000') },
      );
      console.log('answered', result.text);
    `);
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'answered ok' });
  });
});
