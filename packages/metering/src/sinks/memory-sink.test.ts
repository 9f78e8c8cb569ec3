import { createMemorySink } from '@forge1/metering';
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
