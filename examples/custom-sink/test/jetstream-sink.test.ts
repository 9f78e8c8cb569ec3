import { randomBytes } from 'node:crypto';
import { createMeter } from '@forge1/metering';
import { runSinkConformance, sampleUsageRecords } from '@forge1/metering/testing';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJetStreamSink } from '../src/jetstream-sink.ts';
import { readStreamRecords } from '../src/read-stream.ts';
import { tenantSubject } from '../src/subject.ts';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function reachable(): Promise<boolean> {
  try {
    const probe = await connect({ servers: natsUrl, timeout: 1500, reconnect: false });
    await (await probe.jetstreamManager()).getAccountInfo();
    await probe.close();
    return true;
  } catch {
    return false;
  }
}

const available = await reachable();
if (!available)
  console.warn(`NATS JetStream is not reachable at ${natsUrl} (NATS_URL): JetStream sink tests skipped`);

// One run id per test run; one stream and subject prefix per sink, deleted afterwards.
const run = randomBytes(4).toString('hex');
let streams = 0;
const fresh = () => {
  streams++;
  return { stream: `FORGE1_TEST_${run}_${streams}`, subjectPrefix: `forge1test.${run}.s${streams}` };
};

let reader: NatsConnection;
const created: string[] = [];

describe.skipIf(!available)('JetStream sink', () => {
  beforeAll(async () => {
    reader = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    if (!reader) return;
    const manager = await reader.jetstreamManager();
    for (const stream of created) await manager.streams.delete(stream).catch(() => undefined);
    await reader.close();
  });

  const open = (extra: Parameters<typeof createJetStreamSink>[0] = {}) => {
    const names = fresh();
    created.push(names.stream);
    return {
      sink: createJetStreamSink({ servers: natsUrl, ...names, storage: 'memory', ...extra }),
      ...names,
    };
  };

  runSinkConformance('NATS JetStream', () => {
    const { sink, stream } = open();
    return {
      sink,
      stored: () => readStreamRecords(reader, stream),
      dispose: async () => {
        await (await reader.jetstreamManager()).streams.delete(stream).catch(() => undefined);
      },
    };
  });

  it('creates the stream with the duplicate window asked for, and reuses an existing one', async () => {
    const { sink, stream, subjectPrefix } = open({ duplicateWindowMs: 90_000 });
    await sink.init();
    const info = await (await reader.jetstreamManager()).streams.info(stream);
    expect(info.config.subjects).toEqual([`${subjectPrefix}.>`]);
    expect(info.config.duplicate_window).toBe(90_000 * 1_000_000);
    const again = createJetStreamSink({ servers: natsUrl, stream, subjectPrefix });
    await again.init();
    const records = sampleUsageRecords(3, { seed: 21 });
    await sink.write(records);
    await again.write(records);
    expect(again.duplicates).toBe(3);
    expect(await readStreamRecords(reader, stream)).toHaveLength(3);
    await Promise.all([sink.close(), again.close()]);
  });

  it("publishes each record on its tenant's subject, readable per tenant", async () => {
    const { sink, stream, subjectPrefix } = open();
    await sink.init();
    const records = sampleUsageRecords(30, { seed: 22, tenants: ['acme', 'eu.globex'] });
    await sink.write(records);
    const globex = await readStreamRecords(reader, stream, {
      filterSubject: tenantSubject(subjectPrefix, 'eu.globex'),
    });
    expect(globex.length).toBeGreaterThan(0);
    expect(globex.map((record) => record.id).sort()).toEqual(
      records
        .filter((record) => record.tenantId === 'eu.globex')
        .map((record) => record.id)
        .sort(),
    );
    await sink.close();
  });

  it('receives what a meter records, once each, through the journal-less meter', async () => {
    const { sink, stream } = open();
    const meter = createMeter({ sinks: [sink], journal: false, flushIntervalMs: 50 });
    const records = sampleUsageRecords(120, { seed: 23 });
    await Promise.all(records.map((record) => meter.record(record)));
    await meter.flush();
    await meter.close();
    const stored = await readStreamRecords(reader, stream);
    expect(new Set(stored.map((record) => record.id))).toEqual(new Set(records.map((record) => record.id)));
    expect(stored).toHaveLength(records.length);
  });

  it('stores a replay once inside the duplicate window and twice after it: the documented limit', async () => {
    const { sink, stream } = open({ duplicateWindowMs: 1_000 });
    await sink.init();
    const records = sampleUsageRecords(3, { seed: 29 });
    await sink.write(records);
    await sink.write(records);
    expect(await readStreamRecords(reader, stream)).toHaveLength(3);
    // The window is JetStream's clock, not ours: wait it out for real.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await sink.write(records);
    const stored = await readStreamRecords(reader, stream);
    expect(stored).toHaveLength(6);
    expect(new Set(stored.map((record) => record.id)).size).toBe(3);
    await sink.close();
  });

  it("uses the host's connection and leaves it open when it closes", async () => {
    const names = fresh();
    created.push(names.stream);
    const sink = createJetStreamSink({ connection: reader, ...names, storage: 'memory' });
    await sink.init();
    await sink.write(sampleUsageRecords(5, { seed: 24 }));
    await sink.close();
    expect(reader.isClosed()).toBe(false);
    expect(await readStreamRecords(reader, names.stream)).toHaveLength(5);
  });

  it('fails init with a retryable Forge1Error when the server cannot be reached', async () => {
    const sink = createJetStreamSink({ servers: 'nats://127.0.0.1:1', ...fresh() });
    await expect(sink.init()).rejects.toMatchObject({ code: 'internal_error', retryable: true });
  });
});

describe('JetStream sink options and subjects', () => {
  it('refuses a stream name or prefix that JetStream would reject', () => {
    expect(() => createJetStreamSink({ stream: 'usage.records' })).toThrow(/stream/);
    expect(() => createJetStreamSink({ subjectPrefix: 'forge1.*' })).toThrow(/subjectPrefix/);
    expect(() => createJetStreamSink({ duplicateWindowMs: 10 })).toThrow(/duplicateWindowMs/);
  });

  it('encodes tenant ids so that they stay one subject token and never collide', () => {
    expect(tenantSubject('usage', 'acme')).toBe('usage.acme');
    expect(tenantSubject('usage', 'eu.acme')).toBe('usage.eu%2Eacme');
    expect(tenantSubject('usage', 'a b>*')).toBe('usage.a%20b%3E%2A');
    expect(tenantSubject('usage', 'eu_acme')).not.toBe(tenantSubject('usage', 'eu.acme'));
    expect(tenantSubject('usage', 'café')).toBe('usage.caf%C3%A9');
  });
});
