// One process of the shared-pool test: a key pool on the Redis state store, calling the
// provider emulator until `endAt`. Prints one JSON line per event on stdout:
// {type:'ready'}, {type:'sent', keyId, at}, {type:'holding', keyId} and {type:'done', ok, rateLimited, errors}.
// Once ready, it waits for its schedule on stdin, one JSON line: { startAt, endAt, holdAfter? },
// so that a slow start on a loaded machine delays the run instead of eating into it.
// Run: node --import ./e2e/workers/source-hooks.ts e2e/workers/pool-worker.ts '<config JSON>'
import { Forge1Error } from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { callEmulatorChat } from '../support/emulator-chat.ts';

interface WorkerConfig {
  redisUrl: string;
  prefix: string;
  emulatorUrl: string;
  keys: Array<{
    id: string;
    secret: string;
    rpm: number;
    tpm: number;
    windowMs: number;
    maxConcurrent: number;
  }>;
  concurrency: number;
  leaseTtlMs: number;
}

interface Schedule {
  startAt: number;
  endAt: number;
  /** After this epoch ms, the next lease is held for ever (the test kills the process then). */
  holdAfter?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const print = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

const store = createRedisStateStore({ redis: config.redisUrl, prefix: config.prefix });
const pool = createKeyPool({
  keys: config.keys.map((key) => ({ ...key, provider: 'openai' })),
  store,
  leaseTtlMs: config.leaseTtlMs,
  maxWaitMs: 30_000,
  signals: false,
});
await pool.ready();
const counts = { ok: 0, rateLimited: 0, errors: 0 };

async function loop(schedule: Schedule): Promise<void> {
  while (Date.now() < schedule.endAt) {
    const lease = await pool.acquire({
      provider: 'openai',
      model: 'gpt-4o-mini',
      estTokens: 60,
      tenantId: 'acme',
      tier: 'standard',
    });
    if (Date.now() >= schedule.endAt) {
      lease.release({ usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } });
      return;
    }
    if (schedule.holdAfter !== undefined && Date.now() >= schedule.holdAfter) {
      print({ type: 'holding', keyId: lease.keyId });
      await new Promise(() => undefined);
    }
    print({ type: 'sent', keyId: lease.keyId, at: Date.now() });
    try {
      const usage = await callEmulatorChat(
        config.emulatorUrl,
        lease.secret,
        'Say hello to the team.',
        counts,
      );
      lease.release(usage ? { usage } : {});
    } catch (error) {
      counts.errors++;
      lease.release({ error });
    }
  }
}

// Warm up fetch (its first call loads undici synchronously) so that no send lags behind its grant.
await fetch(`${config.emulatorUrl}/warm-up`).then((response) => response.arrayBuffer());
print({ type: 'ready' });
const schedule = await new Promise<Schedule>((resolve) => {
  let input = '';
  process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
    input += chunk;
    const newline = input.indexOf('\n');
    if (newline < 0) return;
    process.stdin.pause();
    resolve(JSON.parse(input.slice(0, newline)) as Schedule);
  });
});
await new Promise((resolve) => setTimeout(resolve, Math.max(0, schedule.startAt - Date.now())));
try {
  await Promise.all(Array.from({ length: config.concurrency }, () => loop(schedule)));
} catch (error) {
  counts.errors++;
  print({ type: 'error', code: Forge1Error.is(error) ? error.code : 'unknown', message: String(error) });
}
print({ type: 'done', ...counts });
await pool.close();
await store.close();
