import { createMemorySink, createMeter } from '@forge1/metering';
import { runSinkConformance, sampleUsageRecords } from '@forge1/metering/testing';
import { describe, expect, it } from 'vitest';

runSinkConformance('memory', () => {
  const sink = createMemorySink();
  return { sink, stored: async () => sink.records() };
});

describe('createMemorySink', () => {
  it('counts stored records and successful writes', async () => {
    const sink = createMemorySink({ name: 'mine' });
    const records = sampleUsageRecords(3);
    await sink.write(records);
    await sink.write(records);
    expect(sink.name).toBe('mine');
    expect(sink.size).toBe(3);
    expect(sink.writes).toBe(2);
  });
});

describe('memory sink isolation', () => {
  it('keeps what a caller wrote even when the caller changes its record afterwards', async () => {
    const sink = createMemorySink();
    const [record] = sampleUsageRecords(1, { seed: 3 });
    const written = { ...record!, metadata: { team: 'search' } };
    await sink.write([written]);
    written.inputTokens += 1;
    written.metadata.team = 'changed';
    expect(sink.records()).toEqual([{ ...record!, metadata: { team: 'search' } }]);
  });

  it('stores what the meter recorded apart from the caller’s record and hands out copies', async () => {
    const sink = createMemorySink();
    const meter = createMeter({ sinks: [sink], journal: false });
    const [record] = sampleUsageRecords(1, { seed: 4 });
    const input = { ...record!, metadata: { team: 'search' }, annotations: { redactions: 2 } };
    await meter.record(input);
    await meter.flush();
    input.metadata.team = 'changed';
    input.annotations.redactions = 9;
    const expected = { ...record!, metadata: { team: 'search' }, annotations: { redactions: 2 } };
    const [read] = sink.records();
    expect(read).toEqual(expected);
    read!.metadata!.team = 'read and changed';
    expect(sink.records()).toEqual([expected]);
    await meter.close();
  });
});
