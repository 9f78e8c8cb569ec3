import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billingPeriod, createUlidFactory, type UsageRecord } from '@forge1/core';
import { createMeter } from '@forge1/metering';
import { connect } from 'nats';
import { createJetStreamSink } from './jetstream-sink.ts';
import { readStreamRecords } from './read-stream.ts';

// `npm start`: meters 2 000 usage records into a NATS JetStream stream through the JetStream
// sink, delivers a third of them twice, reads the stream back and checks every record is
// there once. NATS_URL (default nats://127.0.0.1:4222); KEEP_STREAM=1 keeps the stream.

const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const stream = `FORGE1_USAGE_DEMO_${randomBytes(3).toString('hex').toUpperCase()}`;
const tenants = ['acme-bank', 'northwind-health', 'pixel-labs'];
const models = [
  { provider: 'openai', model: 'gpt-4o-mini', price: 0.6 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', price: 5 },
  { provider: 'google', model: 'gemini-2.5-pro', price: 10 },
];

function records(count: number): UsageRecord[] {
  let now = Date.now() - count * 1000;
  const ulid = createUlidFactory({ now: () => now });
  return Array.from({ length: count }, (_, index) => {
    now += 1000;
    const { provider, model, price } = models[index % models.length]!;
    const outputTokens = 50 + ((index * 37) % 900);
    return {
      id: ulid(),
      timestamp: now,
      period: billingPeriod(now),
      tenantId: tenants[index % tenants.length]!,
      userId: `user-${index % 17}`,
      requestId: `req-${index}`,
      attempt: 1,
      provider,
      model,
      inputTokens: 200,
      outputTokens,
      cachedInputTokens: 0,
      costMicros: Math.round(outputTokens * price),
      latencyMs: 300 + (index % 700),
      status: 'ok',
      cascaded: false,
      fallback: false,
    };
  });
}

const journal = await mkdtemp(join(tmpdir(), 'forge1-jetstream-demo-'));
const sink = createJetStreamSink({ servers, stream, subjectPrefix: `forge1.demo.${stream.toLowerCase()}` });
const meter = createMeter({ sinks: [sink], journal });
const reader = await connect({ servers });
try {
  const all = records(2000);
  const started = performance.now();
  await Promise.all(all.map((record) => meter.record(record)));
  await meter.flush();
  const metered = performance.now() - started;
  // At-least-once delivery: replay a third of the records straight into the sink.
  await sink.write(all.slice(0, Math.floor(all.length / 3)));
  const stored = await readStreamRecords(reader, stream);
  const ids = new Set(stored.map((record) => record.id));
  console.log(`Stream ${stream} on ${servers}`);
  console.log(`Metered ${all.length} records in ${metered.toFixed(0)} ms (journal, then JetStream).`);
  console.log(
    `Delivered ${Math.floor(all.length / 3)} again: JetStream dropped ${sink.duplicates} duplicates.`,
  );
  for (const tenant of tenants) {
    const own = stored.filter((record) => record.tenantId === tenant);
    const cost = own.reduce((sum, record) => sum + record.costMicros, 0);
    console.log(
      `  ${tenant.padEnd(18)} ${String(own.length).padStart(5)} records  $${(cost / 1e6).toFixed(4)}`,
    );
  }
  const intact =
    stored.length === all.length && ids.size === all.length && all.every((record) => ids.has(record.id));
  console.log(intact ? 'Every record stored exactly once.' : 'MISMATCH between metered and stored records.');
  process.exitCode = intact ? 0 : 1;
} finally {
  await meter.close();
  if (process.env.KEEP_STREAM !== '1') {
    await (await reader.jetstreamManager()).streams.delete(stream).catch(() => undefined);
  }
  await reader.close();
  await rm(journal, { recursive: true, force: true });
}
