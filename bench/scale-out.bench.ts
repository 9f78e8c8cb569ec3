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
const loadAtStart = loadavg()
  .map((value) => value.toFixed(1))
  .join(', ');

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
/** Calls and microseconds of EVALSHA (the store's scripts) Redis has counted since it started. */
const scriptStats = async () => {
  const info = await redis.info('commandstats');
  const match = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(info);
  return { calls: Number(match?.[1] ?? 0), usec: Number(match?.[2] ?? 0) };
};
const throughput = new Map<string, number>();
const rows: string[] = [];
// Rounds alternate the process counts (and per-request calls with local slices) so that a burst
// of load elsewhere hits every configuration alike; each figure is the median of its rounds.
const rounds = 3;
// 'no-op scripts' is the floor of a per-request round trip: the same two script calls with the
// same arguments, to scripts that do nothing (bench/workers/scale-worker.ts, mode 'noop').
const modes = [
  { name: 'per request', slices: false, loops: [1, 8] },
  { name: 'slices', slices: true, loops: [1, 8] },
  { name: 'no-op scripts', slices: false, loops: [1], noop: true },
] as const;
type Sample = { perSecond: number; busy: number; ops: number; cpuMicros: number; scriptMicros: number };
const samples = new Map<string, Sample[]>();
for (let round = 0; round < rounds; round++) {
  for (const mode of modes) {
    for (const concurrency of mode.loops) {
      for (const processes of [1, 2, 4]) {
        const prefix = `forge1bench:scale:${run}:${round}:${mode.slices ? 's' : 'r'}:${concurrency}:${processes}`;
        const cpuBefore = await redisCpu();
        const scriptsBefore = await scriptStats();
        const { results } = await spawnWorkers(processes, {
          mode: 'noop' in mode ? 'noop' : 'pool',
          concurrency,
          redisUrl,
          prefix,
          keys: openKeys,
          slices: mode.slices,
        });
        // Redis CPU from the workers' start to their end: warm-up and close included, an overstatement.
        const busy = (await redisCpu()) - cpuBefore;
        const scriptsAfter = await scriptStats();
        const scriptMicros =
          (scriptsAfter.usec - scriptsBefore.usec) / Math.max(1, scriptsAfter.calls - scriptsBefore.calls);
        const ops = results.reduce((sum, result) => sum + result.ops!, 0);
        const cpuMicros = results.reduce((sum, result) => sum + result.cpuMicros!, 0);
        const name = `${mode.name}:${concurrency}:${processes}`;
        samples.set(name, [
          ...(samples.get(name) ?? []),
          { perSecond: (ops * 1000) / runMs, busy, ops, cpuMicros, scriptMicros },
        ]);
        console.log(
          `round ${round + 1}: ${mode.name}, ${processes} × ${concurrency} loops: ${fmt((ops * 1000) / runMs, 0)} / s`,
        );
      }
    }
  }
}
const median = <T>(list: T[], by: (item: T) => number) =>
  [...list].sort((x, y) => by(x) - by(y))[list.length >> 1]!;
for (const mode of modes) {
  for (const concurrency of mode.loops) {
    for (const processes of [1, 2, 4]) {
      const name = `${mode.name}:${concurrency}:${processes}`;
      const sample = median(samples.get(name)!, (item) => item.perSecond);
      throughput.set(name, sample.perSecond);
      const single = throughput.get(`${mode.name}:${concurrency}:1`)!;
      const all = samples
        .get(name)!
        .map((item) => fmt(item.perSecond, 0))
        .join(' / ');
      rows.push(
        `| ${mode.name} | ${processes} | ${concurrency} | ${fmt(sample.perSecond, 0)} (${all}) | ${fmt(sample.perSecond / processes, 0)} | ${fmt(sample.perSecond / single, 2)}× | ${fmt((100 * sample.busy) / (runMs / 1000), 0)} % | ${fmt((sample.busy * 1e6) / sample.ops, 1)} µs | ${fmt(sample.scriptMicros, 1)} µs | ${fmt(sample.cpuMicros / sample.ops, 1)} µs |`,
      );
    }
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
// Both ways of lending in one run, each against a fresh emulator (fresh windows).
const limitedRuns: Array<{ name: string; served: number; upstream429: number }> = [];
for (const mode of modes.filter((entry) => !('noop' in entry))) {
  const emulator = await startProviderEmulator({
    keys: Object.fromEntries(limitedKeys.map((key) => [key.secret, { rpm: limit, tpm: 1_000_000 }])),
    windowMs,
    latencyMs: 20,
  });
  try {
    const { results } = await spawnWorkers(4, {
      mode: 'limited',
      concurrency: 4,
      redisUrl,
      prefix: `forge1bench:limited:${run}:${mode.slices ? 's' : 'r'}`,
      keys: limitedKeys,
      emulatorUrl: emulator.urls.openai,
      slices: mode.slices,
    });
    limitedRuns.push({
      name: mode.name,
      served: results.reduce((sum, result) => sum + result.ok!, 0),
      upstream429: results.reduce((sum, result) => sum + result.rateLimited!, 0),
    });
  } finally {
    await emulator.close();
  }
}
// Rolling windows from a fresh start: one full budget now and one more per window passed.
const capacity = limitedKeys.length * limit * (Math.floor(runMs / (windowMs + 100)) + 1);
for (const entry of limitedRuns)
  console.log(
    `limited (${entry.name}): ${entry.served} served of ${capacity}, ${entry.upstream429} upstream 429s`,
  );
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

// 4 processes against 1 within each round (run a minute apart), then the median over rounds: a
// burst of load elsewhere moves both figures of a round alike.
const ratio = (mode: string, concurrency: number) => {
  const four = samples.get(`${mode}:${concurrency}:4`)!;
  const one = samples.get(`${mode}:${concurrency}:1`)!;
  return median(
    four.map((sample, round) => sample.perSecond / one[round]!.perSecond),
    (value) => value,
  );
};
/** Cores the workers of a configuration kept busy together: round trips / s × client CPU per round trip. */
const coresUsed = (name: string) => {
  const sample = median(samples.get(name)!, (item) => item.perSecond);
  return (sample.perSecond * sample.cpuMicros) / sample.ops / 1e6;
};
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
\`await lease.release()\`. *Per request*: two Lua scripts per round trip. *No-op scripts*: the
same two script calls (EVALSHA with the same arguments, one after the other) to scripts that return
at once, without a key pool: what a round trip costs the processes and Redis whatever the scripts do. *Slices*: the store's
\`slices\` option, so that most acquires are lent from a slice of a key's budget reserved in Redis
by an earlier call (see the keypool README, Redis section). Concurrency is loops per process.
Each figure is the median of ${rounds} rounds that alternate the configurations; the rounds'
figures are in brackets.

| lending | processes | loops each | aggregate round trips / s (each round) | per process | vs 1 process | Redis CPU busy | Redis CPU per round trip | Redis time per script call | client CPU per round trip |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

At 4 processes the aggregate is ${fmt(ratio('per request', 1), 2)}× one process with 1 loop each and
${fmt(ratio('per request', 8), 2)}× with 8, per request; ${fmt(ratio('slices', 1), 2)}× and
${fmt(ratio('slices', 8), 2)}× with slices (goal ≥ 2.5×), and ${fmt(ratio('no-op scripts', 1), 2)}× with no-op scripts. These ratios are the medians of each
round's 4-process figure over the same round's 1-process figure; the "vs 1 process" column divides
the medians. A per-request round trip makes the same two script calls as a no-op one and more
work besides, so the no-op figures bound the pool's: at 4 processes the pool cannot pass the no-op
aggregate (${fmt(throughput.get('no-op scripts:1:4')!, 0)} / s in this run) whatever its scripts cost, and the cheaper its scripts, the
closer its figures and their ratio come to the no-op ones (what is left is the calls themselves:
the processes' and Redis's system calls and wake-ups).
"Redis CPU busy" is the Redis server's CPU time over the run divided by its length, "per round
trip" the same time divided by the round trips; "time per script call" is Redis's own count
(\`INFO commandstats\`, EVALSHA usec / calls: takes and releases together, slice returns too); "client CPU" is the workers' own CPU time (user +
system) per round trip. On ${cpusCount} cores, the aggregate of N processes can grow at most until
the client CPU of all of them plus Redis's fills the cores: when one process alone already keeps a
core busy (client CPU per round trip × round trips / s near 1 s per s), 4 processes can at best
double it on 2 cores, whatever Redis does. With slices and 8 loops, one process kept
${fmt(coresUsed('slices:8:1'), 2)} of a core busy and 4 processes ${fmt(coresUsed('slices:8:4'), 2)} together, while Redis was
mostly idle: the processes got no more CPU than that from the machine. The load average of the machine was
${loadAtStart} when this run started and ${load} when it ended, on ${cpusCount} cores shared with other work: the processes then wait for a core more than for
Redis. Read ratios within one run only.

**Real-limit runs**: 4 processes × 4 loops share two keys of ${limit} requests per ${windowMs / 1000} s,
enforced by the provider emulator; each lease makes a real HTTP call to it (a fresh emulator for each
run). ${limitedRuns.map((entry) => `${entry.name[0]!.toUpperCase()}${entry.name.slice(1)}: served ${fmt(entry.served, 0)} calls of a possible ${fmt(capacity, 0)} in ${runMs / 1000} s, **${entry.upstream429} upstream 429s**.`).join(' ')}

**Metering into PostgreSQL**: each process records 20 000 usage records through \`createMeter\`
(no journal, batches of 1 000) into one \`createPostgresSink\` table; time from the common start to
the last record delivered.

| processes | records | slowest process | aggregate records / s |
|---:|---:|---:|---:|
${meterRows.join('\n')}
`,
);
