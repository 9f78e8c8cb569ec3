import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventBus, type Forge1Events, type MeterSinkV1, type UsageRecord } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { createMemorySink, createMeter } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { afterEach, describe, expect, it } from 'vitest';

const directories: string[] = [];
const tempDirectory = () => {
  const directory = mkdtempSync(join(tmpdir(), 'forge1-meter-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A sink that can be switched down and up, and that counts what reached it. */
function switchableSink(name = 'switchable') {
  const inner = createMemorySink({ name });
  const delivered: string[] = [];
  let down = false;
  const sink: MeterSinkV1 & { setDown(value: boolean): void; delivered: string[]; inner: typeof inner } = {
    specificationVersion: 'v1',
    name,
    delivered,
    inner,
    setDown(value) {
      down = value;
    },
    async write(batch: readonly UsageRecord[]) {
      if (down) throw new Error(`${name} is down`);
      for (const record of batch) delivered.push(record.id);
      await inner.write(batch);
    },
  };
  return sink;
}

describe('createMeter', () => {
  it('delivers recorded records to every sink on flush', async () => {
    const first = createMemorySink({ name: 'first' });
    const second = createMemorySink({ name: 'second' });
    const meter = createMeter({ sinks: [first, second], journal: tempDirectory() });
    const records = sampleUsageRecords(1200);
    await Promise.all(records.map((record) => meter.record(record)));
    await meter.flush();
    expect(first.size).toBe(1200);
    expect(second.size).toBe(1200);
    await meter.close();
  });

  it('rejects a malformed record with a ValidationError naming the field', async () => {
    const meter = createMeter({ sinks: [createMemorySink()], journal: false });
    const [record] = sampleUsageRecords(1);
    await expect(meter.record({ ...record!, costMicros: -1 })).rejects.toMatchObject({
      code: 'validation_error',
      issues: [expect.objectContaining({ path: 'costMicros' })],
    });
    await meter.close();
  });

  it('rejects bad options with a ValidationError', () => {
    expect(() => createMeter({ sinks: [] })).toThrow(expect.objectContaining({ code: 'validation_error' }));
    const sink = createMemorySink();
    expect(() => createMeter({ sinks: [sink, sink], journal: false })).toThrow(/unique/);
    expect(() => createMeter({ sinks: [sink], batchSize: 0, journal: false })).toThrow(/batchSize/);
  });

  it('groups concurrent records into shared journal writes', async () => {
    const directory = tempDirectory();
    const meter = createMeter({ sinks: [createMemorySink()], journal: directory });
    await meter.ready();
    await Promise.all(sampleUsageRecords(500).map((record) => meter.record(record)));
    const stats = meter.stats();
    expect(stats.committed).toBe(500);
    expect(stats.journalBytes).toBeGreaterThan(0);
    await meter.close();
  });

  it('waits for a full batch or the flush interval before writing', async () => {
    const clock = createFakeClock();
    const sink = createMemorySink();
    const meter = createMeter({ sinks: [sink], journal: false, batchSize: 10, flushIntervalMs: 1000, clock });
    for (const record of sampleUsageRecords(3)) await meter.record(record);
    await clock.advance(999);
    expect(sink.size).toBe(0);
    await clock.advance(1);
    expect(sink.size).toBe(3);
    for (const record of sampleUsageRecords(10, { seed: 2 })) await meter.record(record);
    await clock.advance(0);
    expect(sink.size).toBe(13);
    await meter.close();
  });

  it('replays records a sink had not acknowledged when the meter starts again', async () => {
    const directory = tempDirectory();
    const sink = switchableSink('store');
    sink.setDown(true);
    const clock = createFakeClock();
    const first = createMeter({ sinks: [sink], journal: directory, clock, drainTimeoutMs: 10 });
    const records = sampleUsageRecords(300);
    await Promise.all(records.map((record) => first.record(record)));
    const closing = first.close();
    await clock.runAll();
    await closing;
    expect(sink.inner.size).toBe(0);

    sink.setDown(false);
    const second = createMeter({ sinks: [sink], journal: directory });
    await second.flush();
    expect(new Set(sink.inner.records().map((record) => record.id))).toEqual(
      new Set(records.map((r) => r.id)),
    );
    await second.close();
    expect(readdirSync(directory).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
  });

  it('closes despite a sink whose write never settles, keeping its records for the next start', async () => {
    const directory = tempDirectory();
    const events = createEventBus();
    const errors: Array<Forge1Events['sink.error']> = [];
    events.on('sink.error', (error) => errors.push(error));
    let calls = 0;
    const stuck: MeterSinkV1 = {
      specificationVersion: 'v1',
      name: 'stuck',
      write: () => {
        calls++;
        return new Promise<void>(() => undefined);
      },
      close: () => new Promise<void>(() => undefined),
    };
    const clock = createFakeClock();
    const first = createMeter({
      sinks: [stuck],
      journal: directory,
      clock,
      events,
      writeTimeoutMs: 500,
      drainTimeoutMs: 2_000,
    });
    const records = sampleUsageRecords(40);
    await Promise.all(records.map((record) => first.record(record)));
    let closed = false;
    const closing = first.close().then(() => {
      closed = true;
    });
    // Fake time moves on until close() is done: each wait it makes is on the clock, between
    // them it does real file I/O, so each step also yields to the event loop.
    for (let step = 0; step < 5_000 && !closed; step++) {
      await clock.advance(250);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await closing;
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatchObject({ sink: 'stuck', errorCode: 'store_unavailable' });

    const healthy = createMemorySink({ name: 'stuck' });
    const second = createMeter({ sinks: [healthy], journal: directory });
    await second.flush();
    expect(new Set(healthy.records().map((record) => record.id))).toEqual(new Set(records.map((r) => r.id)));
    await second.close();
  });

  it('deletes journal segments once every sink has acknowledged them', async () => {
    const directory = tempDirectory();
    const meter = createMeter({
      sinks: [createMemorySink()],
      journal: { directory, segmentBytes: 4096, compactBytes: 4096 },
    });
    await Promise.all(sampleUsageRecords(400).map((record) => meter.record(record)));
    const before = meter.stats().journalBytes;
    await meter.flush();
    await meter.close();
    expect(before).toBeGreaterThan(4096 * 10);
    const segments = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
    expect(segments).toHaveLength(1);
  });

  it('refuses a second live meter on the same journal directory', async () => {
    const directory = tempDirectory();
    const meter = createMeter({ sinks: [createMemorySink()], journal: directory });
    await meter.ready();
    const other = createMeter({ sinks: [createMemorySink()], journal: directory });
    await expect(other.ready()).rejects.toThrow(/in use/);
    await expect(other.record(sampleUsageRecords(1)[0]!)).rejects.toThrow(/in use/);
    await other.close();
    await meter.close();
  });

  it('refuses records after close, and closes once', async () => {
    const meter = createMeter({ sinks: [createMemorySink()], journal: false });
    await meter.close();
    await meter.close();
    await expect(meter.record(sampleUsageRecords(1)[0]!)).rejects.toMatchObject({ code: 'closed' });
  });

  it('without a journal, refuses records once maxBuffered wait for a slow sink', async () => {
    const sink = switchableSink();
    sink.setDown(true);
    const clock = createFakeClock();
    const meter = createMeter({ sinks: [sink], journal: false, maxBuffered: 5, clock, drainTimeoutMs: 1 });
    const records = sampleUsageRecords(6);
    for (const record of records.slice(0, 5)) await meter.record(record);
    await expect(meter.record(records[5]!)).rejects.toMatchObject({ retryable: true });
    const closing = meter.close();
    await clock.runAll();
    await closing;
  });
});

describe('createMeter during a sink outage', () => {
  it('keeps record() independent of the sink, bounds memory, and loses or duplicates nothing', async () => {
    const directory = tempDirectory();
    const clock = createFakeClock();
    const events = createEventBus();
    const errors: Array<Forge1Events['sink.error']> = [];
    events.on('sink.error', (error) => errors.push(error));
    const failing = switchableSink('failing');
    const healthy = createMemorySink({ name: 'healthy' });
    const meter = createMeter({
      sinks: [failing, healthy],
      journal: directory,
      batchSize: 100,
      maxBuffered: 500,
      clock,
      events,
      random: () => 0.5,
    });
    failing.setDown(true);
    const records = sampleUsageRecords(5000, { stepMs: 1 });
    let peakBuffered = 0;
    for (let i = 0; i < records.length; i += 250) {
      // Every record() resolves while the failing sink has stored nothing: the caller never waits on it.
      await Promise.all(records.slice(i, i + 250).map((record) => meter.record(record)));
      peakBuffered = Math.max(peakBuffered, meter.stats().buffered);
      await clock.advance(50);
    }
    expect(failing.inner.size).toBe(0);
    expect(peakBuffered).toBeLessThanOrEqual(500);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ sink: 'failing', attempt: 1, message: 'failing is down' });

    // The failing sink cannot drain: flush gives up after drainTimeoutMs, the healthy sink is done.
    const timedOut = meter.flush().then(
      () => 'drained',
      () => 'timed out',
    );
    await clock.advance(30_000);
    expect(await timedOut).toBe('timed out');
    const healthyStats = meter.stats().sinks.find((sink) => sink.name === 'healthy')!;
    expect(healthyStats.lag).toBe(0);
    expect(healthy.size).toBe(5000);

    failing.setDown(false);
    const flushing = meter.flush();
    // Fires the pending backoff (at most 30 s × 0.75 with this jitter), not the 30 s drain timeout.
    await clock.advance(25_000);
    await flushing;
    expect(meter.stats().buffered).toBeLessThanOrEqual(500);
    expect(failing.inner.size).toBe(5000);
    // At least once, but here the cursor saw each record through exactly once.
    expect(new Set(failing.delivered).size).toBe(5000);
    expect(failing.delivered).toHaveLength(5000);
    await meter.close();
  });
});
