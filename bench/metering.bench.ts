import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billingPeriod, createUlidFactory, type UsageRecord } from '@forge1/core';
import { createMemorySink, createMeter, createSqliteSink } from '@forge1/metering';
import { createPostgresSink } from '@forge1/metering/postgres';
import { fmt, percentiles, writeSection } from './report.ts';

// Run after `npm run build -w @forge1/core -w @forge1/metering`:
//   node_modules/.bin/node bench/metering.bench.ts   (FORGE1_PG_URL set for the PostgreSQL figure)

function makeRecords(count: number, start = Date.UTC(2026, 0, 1)): UsageRecord[] {
  let time = start;
  const ulid = createUlidFactory({ now: () => time });
  return Array.from({ length: count }, (_, i) => {
    time = start + i;
    return {
      id: ulid(),
      timestamp: time,
      period: billingPeriod(time),
      tenantId: `tenant-${i % 20}`,
      clientId: `client-${i % 7}`,
      employeeId: `employee-${i % 50}`,
      userId: `user-${i % 500}`,
      requestId: `request-${i}`,
      attempt: 1,
      provider: 'openai',
      model: i % 3 === 0 ? 'gpt-4.1' : 'gpt-4o-mini',
      keyId: `key-${i % 4}`,
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 200,
      costMicros: 450 + (i % 100),
      latencyMs: 800,
      status: 'ok',
      level: 'moderate',
      cascaded: false,
      fallback: false,
    };
  });
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function sinkThroughput(sink: ReturnType<typeof createSqliteSink>, count: number, batch: number) {
  await sink.init();
  const records = makeRecords(count);
  await sink.write(records.slice(0, batch));
  const started = process.hrtime.bigint();
  for (let i = batch; i < count; i += batch) await sink.write(records.slice(i, i + batch));
  const rate = (count - batch) / seconds(started);
  await sink.close();
  return rate;
}

const directory = mkdtempSync(join(tmpdir(), 'forge1-bench-'));
const rows: string[] = [];
try {
  const sqliteRate = await sinkThroughput(
    createSqliteSink({ path: join(directory, 'sink.db') }),
    300_000,
    5000,
  );
  rows.push(`| SQLite sink (file, WAL), batches of 5 000 | ${fmt(sqliteRate, 0)} records/s | ≥ 100 000 |`);

  const url = process.env.FORGE1_PG_URL;
  if (url) {
    const schema = `forge1_bench_${Date.now().toString(36)}`;
    const sink = createPostgresSink({ connectionString: url, schema });
    const pgRate = await sinkThroughput(sink, 150_000, 5000);
    rows.push(`| PostgreSQL sink, batches of 5 000 | ${fmt(pgRate, 0)} records/s | ≥ 30 000 |`);
    const pg = await import('pg');
    const pool = new pg.default.Pool({ connectionString: url });
    await pool.query(`drop schema ${schema} cascade`);
    await pool.end();
  } else {
    rows.push('| PostgreSQL sink | not run (FORGE1_PG_URL unset) | ≥ 30 000 |');
  }

  // End to end: record() through the journal (fsync per group) into SQLite, then drain.
  const endToEnd = makeRecords(100_000, Date.UTC(2026, 1, 1));
  const meter = createMeter({
    sinks: [createSqliteSink({ path: join(directory, 'meter.db') })],
    journal: join(directory, 'journal'),
    batchSize: 5000,
  });
  await meter.ready();
  const started = process.hrtime.bigint();
  for (let i = 0; i < endToEnd.length; i += 1000) {
    await Promise.all(endToEnd.slice(i, i + 1000).map((record) => meter.record(record)));
  }
  const recorded = seconds(started);
  await meter.flush();
  const drained = seconds(started);
  await meter.close();
  rows.push(
    `| record() → journal, 1 000 concurrent callers | ${fmt(endToEnd.length / recorded, 0)} records/s | |`,
    `| record() → journal → SQLite, drained | ${fmt(endToEnd.length / drained, 0)} records/s | |`,
  );

  // Latency of one awaited record(): alone (pays a whole fsync) and among 1 000 concurrent callers.
  const latencyMeter = createMeter({ sinks: [createMemorySink()], journal: join(directory, 'latency') });
  await latencyMeter.ready();
  const alone: number[] = [];
  for (const record of makeRecords(2000, Date.UTC(2026, 2, 1))) {
    const t = process.hrtime.bigint();
    await latencyMeter.record(record);
    alone.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const together: number[] = [];
  const crowd = makeRecords(20_000, Date.UTC(2026, 3, 1));
  for (let i = 0; i < crowd.length; i += 1000) {
    await Promise.all(
      crowd.slice(i, i + 1000).map(async (record) => {
        const t = process.hrtime.bigint();
        await latencyMeter.record(record);
        together.push(Number(process.hrtime.bigint() - t) / 1e6);
      }),
    );
  }
  await latencyMeter.close();
  const memoryMeter = createMeter({ sinks: [createMemorySink()], journal: false, maxBuffered: 1_000_000 });
  const cpu = makeRecords(50_000, Date.UTC(2026, 4, 1));
  const cpuStart = process.hrtime.bigint();
  for (const record of cpu) await memoryMeter.record(record);
  const cpuMicros = (seconds(cpuStart) * 1e6) / cpu.length;
  await memoryMeter.close();
  const a = percentiles(alone);
  const b = percentiles(together);
  rows.push(
    `| record() alone, median (p95) | ${fmt(a.p50, 3)} ms (${fmt(a.p95, 3)} ms) | one write + fsync each |`,
    `| record() among 1 000 concurrent, median (p95) | ${fmt(b.p50, 3)} ms (${fmt(b.p95, 3)} ms) | shared group commit |`,
    `| record() without journal (validation + buffering) | ${fmt(cpuMicros, 2)} µs | CPU cost |`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const markdown = `| measure | result | target |
|---|---|---|
${rows.join('\n')}

Sink figures are \`sink.write()\` of pre-built batches (one transaction each, multi-row
\`INSERT … ON CONFLICT (id) DO NOTHING\` with cached prepared statements). The journal fsyncs
each group commit; the figures depend on this disk's fsync latency.`;
writeSection('metering', 'Metering: sinks and record()', markdown);
console.log(markdown);
