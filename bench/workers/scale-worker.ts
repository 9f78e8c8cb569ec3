// One process of bench/scale-out.bench.ts (built packages, plain node). Config as JSON in argv.
// Prints {type:'ready'} once warmed up, then reads `{ startAt, endAt }` from stdin (sent when
// every worker is ready), runs its mode until `endAt` (or its record count), prints one line:
//   pool    acquire + await release in `concurrency` loops on the Redis key pool → { ops, cpuMicros }
//   limited the same, each lease calling the provider emulator → { ok, rateLimited, errors }
//   noop    the same two script calls per round trip as the pool's (EVALSHA, same arguments) to
//           scripts that return at once → { ops, cpuMicros }
// (`slices: true` lends from local slices of the keys' budgets.)
//   meter   record() `records` usage records through a meter into the PostgreSQL sink → { records, ms }
import { randomBytes } from 'node:crypto';
import { billingPeriod, createUlidFactory, type UsageRecord } from '@forge1/core';
import { createKeyPool, type KeyInput } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { createMeter } from '@forge1/metering';
import { createPostgresSink } from '@forge1/metering/postgres';
import { Redis } from 'ioredis';
import { callEmulatorChat } from '../../e2e/support/emulator-chat.ts';

interface Config {
  mode: 'pool' | 'limited' | 'meter' | 'noop';
  concurrency: number;
  redisUrl?: string;
  prefix?: string;
  keys?: KeyInput[];
  emulatorUrl?: string;
  pgUrl?: string;
  schema?: string;
  records?: number;
  /** Lend from local slices of the keys' budgets (the Redis store's `slices` option). */
  slices?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const print = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
const schedule = { startAt: 0, endAt: 0 };

/** Reports ready, waits for the common schedule, then for its start time. */
async function untilStart(): Promise<void> {
  print({ type: 'ready' });
  const line = await new Promise<string>((resolve) => {
    let buffer = '';
    process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(buffer.slice(0, buffer.indexOf('\n')));
    });
  });
  Object.assign(schedule, JSON.parse(line) as typeof schedule);
  process.stdin.pause();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, schedule.startAt - Date.now())));
}
const demand = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  estTokens: 60,
  tenantId: 'bench',
  tier: 'standard',
} as const;
const noUsage = { usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } };

async function runPool(callUpstream: boolean) {
  const emulatorUrl = config.emulatorUrl ?? '';
  // A generous timeout: on a shared machine a starved process must not turn a slow answer into a failure.
  const store = createRedisStateStore({
    redis: config.redisUrl!,
    prefix: config.prefix!,
    commandTimeoutMs: 10_000,
    slices: config.slices ?? false,
  });
  const pool = createKeyPool({ keys: config.keys!, store, maxWaitMs: 60_000, signals: false });
  await pool.ready();
  // One warm-up round trip: the connection and the scripts are loaded before the clock starts.
  await (await pool.acquire(demand)).release(noUsage);
  const counts = { ops: 0, ok: 0, rateLimited: 0, errors: 0, cpuMicros: 0 };
  await untilStart();
  const cpuBefore = process.cpuUsage();
  const loop = async () => {
    while (Date.now() < schedule.endAt) {
      const lease = await pool.acquire(demand);
      if (!callUpstream || Date.now() >= schedule.endAt) {
        await lease.release(noUsage);
        if (Date.now() < schedule.endAt) counts.ops++;
        continue;
      }
      const usage = (await callEmulatorChat(emulatorUrl, lease.secret, 'Hello.', counts)) ?? noUsage.usage;
      await lease.release({ usage });
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  counts.cpuMicros = cpu.user + cpu.system;
  await pool.close();
  await store.close();
  print({ type: 'done', ...counts });
}

/** Two EVALSHA per round trip with a take's and a release's arguments, to scripts that do nothing. */
async function runNoop() {
  const redis = new Redis(config.redisUrl!);
  const take = (await redis.script('LOAD', "return {1, 'scale-1', 0, 0}")) as string;
  const settle = (await redis.script('LOAD', 'return 1')) as string;
  const specs = (id: string) =>
    JSON.stringify([
      [`key:${id}:rpm`, 0, 1e8, 60_000],
      [`key:${id}:tpm`, 1, 1e9, 60_000],
    ]);
  const candidates = JSON.stringify(
    config.keys!.map((key) => [key.id, 0, 1, 1, 1, JSON.parse(specs(key.id))]),
  );
  const prefix = config.prefix!;
  let sequence = 0;
  const roundTrip = async () => {
    const leaseId = `noop-${sequence++}`;
    const takeArgs = [candidates, 60, 2, '[]', leaseId, 300_000, 'owner', 1000, '0', '', ''];
    await redis.call('EVALSHA', take, 0, prefix, '', ...takeArgs);
    const at = Date.now();
    const settleArgs = [leaseId, 'scale-1', at, at + 300_000, 2, 60, specs('scale-1'), '', 0, '', '', '0'];
    await redis.call('EVALSHA', settle, 0, prefix, '', ...settleArgs);
  };
  await roundTrip();
  const counts = { ops: 0, cpuMicros: 0 };
  await untilStart();
  const cpuBefore = process.cpuUsage();
  const loop = async () => {
    while (Date.now() < schedule.endAt) {
      await roundTrip();
      if (Date.now() < schedule.endAt) counts.ops++;
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  counts.cpuMicros = cpu.user + cpu.system;
  redis.disconnect();
  print({ type: 'done', ...counts });
}

function makeRecords(count: number): UsageRecord[] {
  const start = Date.UTC(2026, 0, 1);
  const ulid = createUlidFactory();
  const run = randomBytes(3).toString('hex');
  return Array.from({ length: count }, (_, i) => ({
    id: ulid(),
    timestamp: start + i,
    period: billingPeriod(start + i),
    tenantId: `tenant-${i % 20}`,
    userId: `user-${i % 500}`,
    requestId: `request-${run}-${i}`,
    attempt: 1,
    provider: 'openai',
    model: 'gpt-4o-mini',
    keyId: `key-${i % 4}`,
    inputTokens: 1200,
    outputTokens: 300,
    cachedInputTokens: 200,
    costMicros: 450,
    latencyMs: 800,
    status: 'ok',
    level: 'moderate',
    cascaded: false,
    fallback: false,
  }));
}

async function runMeter() {
  const records = makeRecords(config.records!);
  const meter = createMeter({
    sinks: [createPostgresSink({ connectionString: config.pgUrl!, schema: config.schema! })],
    journal: false,
    batchSize: 1000,
    maxBuffered: records.length + 1000,
  });
  await meter.ready();
  await untilStart();
  const started = Date.now();
  for (let i = 0; i < records.length; i += config.concurrency) {
    await Promise.all(records.slice(i, i + config.concurrency).map((record) => meter.record(record)));
  }
  await meter.flush();
  const ms = Date.now() - started;
  await meter.close();
  print({ type: 'done', records: records.length, ms });
}

if (config.mode === 'meter') await runMeter();
else if (config.mode === 'noop') await runNoop();
else await runPool(config.mode === 'limited');
