// Scale-out with real processes against the local Redis and PostgreSQL: aggregate acquire +
// release throughput of the Redis key pool at 1, 2 and 4 processes; a real-limit run of 4
// processes calling the provider emulator (which enforces each key's limits) that must see 0
// upstream 429s; and metering into PostgreSQL from 1 and 4 processes. Run after `npm run build`:
//   FORGE1_REDIS_URL=redis://127.0.0.1:6379 FORGE1_PG_URL=postgres://… node bench/scale-out.bench.ts
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startProviderEmulator } from '@forge1/adapters/emulator';
import { createPostgresSink } from '@forge1/metering/postgres';
import { Redis } from 'ioredis';
import { fmt, writeSection } from './report.ts';

const redisUrl = process.env.FORGE1_REDIS_URL ?? 'redis://127.0.0.1:6379';
const pgUrl = process.env.FORGE1_PG_URL;
const worker = fileURLToPath(new URL('./workers/scale-worker.ts', import.meta.url));
const run = randomBytes(4).toString('hex');
const runMs = 4_000;

/**
 * Starts `count` workers, gives them one common schedule once every one is warmed up, and returns
 * each one's result line with the schedule.
 */
async function spawnWorkers(
  count: number,
  config: object,
): Promise<{ startAt: number; endAt: number; results: Array<Record<string, number>> }> {
  const children: ChildProcess[] = [];
  const ready: Array<Promise<void>> = [];
  const results = Array.from({ length: count }, (_, index) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    let markReady: () => void = () => undefined;
    ready.push(new Promise((resolve) => (markReady = resolve)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('{"type":"ready"}')) markReady();
    });
    return new Promise<Record<string, number>>((resolve, reject) =>
      child.on('exit', (code) => {
        const line = output.split('\n').find((entry) => entry.startsWith('{"type":"done"'));
        if (code === 0 && line) resolve(JSON.parse(line) as Record<string, number>);
        else reject(new Error(`worker ${index} exited with ${code}`));
      }),
    );
  });
  try {
    await Promise.race([Promise.all(ready), Promise.all(results)]);
    const startAt = Date.now() + 300;
    const schedule = { startAt, endAt: startAt + runMs };
    for (const child of children) child.stdin!.write(`${JSON.stringify(schedule)}\n`);
    return { ...schedule, results: await Promise.all(results) };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

// Throughput: four keys with limits far above the load, so the figure is the round trip alone.
const openKeys = [1, 2, 3, 4].map((index) => ({
  id: `scale-${index}`,
  provider: 'openai',
  secret: `sk-scale-secret-${index}`,
  rpm: 100_000_000,
  tpm: 1_000_000_000,
  windowMs: 60_000,
}));
const redis = new Redis(redisUrl);
/** Seconds of CPU the Redis server has used since it started. */
const redisCpu = async () => {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
};
const throughput = new Map<string, number>();
const rows: string[] = [];
// Rounds alternate the process counts so that a burst of load elsewhere hits every count alike;
// each figure is the median of its rounds.
const rounds = 3;
const samples = new Map<string, Array<{ perSecond: number; busy: number; ops: number }>>();
for (let round = 0; round < rounds; round++) {
  for (const concurrency of [1, 8]) {
    for (const processes of [1, 2, 4]) {
      const prefix = `forge1bench:scale:${run}:${round}:${concurrency}:${processes}`;
      const cpuBefore = await redisCpu();
      const { results } = await spawnWorkers(processes, {
        mode: 'pool',
        concurrency,
        redisUrl,
        prefix,
        keys: openKeys,
      });
      // Redis CPU from the workers' start to their end: warm-up and close included, an overstatement.
      const busy = (await redisCpu()) - cpuBefore;
      const ops = results.reduce((sum, result) => sum + result.ops!, 0);
      const name = `${concurrency}:${processes}`;
      samples.set(name, [...(samples.get(name) ?? []), { perSecond: (ops * 1000) / runMs, busy, ops }]);
      console.log(
        `round ${round + 1}: ${processes} × ${concurrency} loops: ${fmt((ops * 1000) / runMs, 0)} / s`,
      );
    }
  }
}
const median = <T>(list: T[], by: (item: T) => number) =>
  [...list].sort((x, y) => by(x) - by(y))[list.length >> 1]!;
for (const concurrency of [1, 8]) {
  for (const processes of [1, 2, 4]) {
    const sample = median(samples.get(`${concurrency}:${processes}`)!, (item) => item.perSecond);
    throughput.set(`${concurrency}:${processes}`, sample.perSecond);
    const single = throughput.get(`${concurrency}:1`)!;
    const all = samples
      .get(`${concurrency}:${processes}`)!
      .map((item) => fmt(item.perSecond, 0))
      .join(' / ');
    rows.push(
      `| ${processes} | ${concurrency} | ${fmt(sample.perSecond, 0)} (${all}) | ${fmt(sample.perSecond / processes, 0)} | ${fmt(sample.perSecond / single, 2)}× | ${fmt((100 * sample.busy) / (runMs / 1000), 0)} % | ${fmt((sample.busy * 1e6) / sample.ops, 0)} µs |`,
    );
  }
}
console.log(rows.join('\n'));

// Real limits: the emulator enforces each key's RPM over a 2 s window; the pool's window is
// 100 ms longer, the margin between Redis granting a lease and the call reaching the emulator.
const windowMs = 2_000;
const limit = 40;
const limitedKeys = ['a', 'b'].map((name) => ({
  id: `limited-${name}`,
  provider: 'openai',
  secret: `sk-limited-${name}-${randomBytes(8).toString('hex')}`,
  rpm: limit,
  tpm: 1_000_000,
  windowMs: windowMs + 100,
}));
const emulator = await startProviderEmulator({
  keys: Object.fromEntries(limitedKeys.map((key) => [key.secret, { rpm: limit, tpm: 1_000_000 }])),
  windowMs,
  latencyMs: 20,
});
const limited = await (async () => {
  try {
    const { results } = await spawnWorkers(4, {
      mode: 'limited',
      concurrency: 4,
      redisUrl,
      prefix: `forge1bench:limited:${run}`,
      keys: limitedKeys,
      emulatorUrl: emulator.urls.openai,
    });
    return results;
  } finally {
    await emulator.close();
  }
})();
const served = limited.reduce((sum, result) => sum + result.ok!, 0);
const upstream429 = limited.reduce((sum, result) => sum + result.rateLimited!, 0);
// Rolling windows from a fresh start: one full budget now and one more per window passed.
const capacity = limitedKeys.length * limit * (Math.floor(runMs / (windowMs + 100)) + 1);

console.log(`limited: ${served} served of ${capacity}, ${upstream429} upstream 429s`);
const leftovers = await redis.keys(`forge1bench:*:${run}*`);
if (leftovers.length > 0) await redis.del(...leftovers);
redis.disconnect();

// Metering: each process records through a meter (no journal) into one PostgreSQL table.
const meterRows: string[] = [];
if (pgUrl) {
  const records = 20_000;
  for (const processes of [1, 4]) {
    const schema = `forge1_bench_scale_${run}_${processes}`;
    // The table is created once here, so that the workers do not race on the migration.
    const setup = createPostgresSink({ connectionString: pgUrl, schema });
    await setup.init();
    await setup.close();
    const { results } = await spawnWorkers(processes, {
      mode: 'meter',
      concurrency: 100,
      pgUrl,
      schema,
      records,
    });
    const slowest = Math.max(...results.map((result) => result.ms!));
    const perSecond = (records * processes * 1000) / slowest;
    meterRows.push(
      `| ${processes} | ${fmt(records * processes, 0)} | ${fmt(slowest / 1000, 2)} s | ${fmt(perSecond, 0)} |`,
    );
    console.log(meterRows.at(-1));
    const pg = await import('pg');
    const pool = new pg.default.Pool({ connectionString: pgUrl });
    await pool.query(`drop schema ${schema} cascade`);
    await pool.end();
  }
} else {
  meterRows.push('| not run: FORGE1_PG_URL unset | | | |');
}

const at4 = throughput.get('8:4')! / throughput.get('8:1')!;
const cpusCount = cpus().length;
const load = loadavg()
  .map((value) => fmt(value, 1))
  .join(', ');
writeSection(
  'scale-out',
  'Scale-out: the Redis key pool and metering from several processes',
  `
Real processes (\`bench/workers/scale-worker.ts\`) against the local Redis
(${redisUrl.replace(/\/\/[^@]*@/, '//')}) and PostgreSQL, all started together and measured over the
same ${runMs / 1000} s. **Key pool throughput**: each process runs its own key pool on one Redis state
store (same prefix, same four keys, limits far above the load) and loops \`acquire()\` then
\`await lease.release()\`: two Lua scripts per round trip. Concurrency is loops per process. Each figure is the median of ${rounds} rounds that alternate the
process counts; the rounds' figures are in brackets.

| processes | loops each | aggregate round trips / s (each round) | per process | vs 1 process | Redis CPU busy | Redis CPU per round trip |
|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

At 4 processes with 8 loops each the aggregate is ${fmt(at4, 2)}× one process (goal ≥ 2.5×).
"Redis CPU busy" is the Redis server's CPU time over the run divided by its length: when it is far
below 100 %, Redis is not what limits the figure. The load average of the machine during this run
was ${load} on ${cpusCount} cores shared with other work: the processes then wait for a core more than for
Redis, and adding processes adds contention rather than throughput. Read the figures of a quiet
machine before drawing conclusions about scale-out.

**Real-limit run**: 4 processes × 4 loops share two keys of ${limit} requests per ${windowMs / 1000} s,
enforced by the provider emulator; each lease makes a real HTTP call to it. Served
${fmt(served, 0)} calls of a possible ${fmt(capacity, 0)} in ${runMs / 1000} s, **${upstream429} upstream 429s**.

**Metering into PostgreSQL**: each process records 20 000 usage records through \`createMeter\`
(no journal, batches of 1 000) into one \`createPostgresSink\` table; time from the common start to
the last record delivered.

| processes | records | slowest process | aggregate records / s |
|---:|---:|---:|---:|
${meterRows.join('\n')}
`,
);
