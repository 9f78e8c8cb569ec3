import { createMemorySink, createMeter, readSinkBatch } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { describe, expect, it } from 'vitest';

describe('readSinkBatch', () => {
  const records = sampleUsageRecords(3, { seed: 7 });

  it('reads a caller-built batch as usage records, each getter once', () => {
    let reads = 0;
    const counted = Object.defineProperty({ ...records[0]! }, 'tenantId', {
      enumerable: true,
      get: () => {
        reads++;
        return 'acme';
      },
    });
    const batch = readSinkBatch([counted, records[1]!], 'my sink write');
    expect(batch.map((record) => record.tenantId)).toEqual(['acme', records[1]!.tenantId]);
    expect(reads).toBe(1);
  });

  it('refuses a malformed batch with a validation_error', () => {
    expect(() => readSinkBatch('records' as never, 'my sink write')).toThrow(/my sink write/);
    const sparse = new Array(2);
    sparse[1] = records[0];
    for (const batch of [
      null,
      'records',
      sparse,
      [records[0], {}],
      [{ ...records[0]!, costMicros: Number.NaN }],
    ]) {
      expect(() => readSinkBatch(batch as never, 'my sink write')).toThrow(
        expect.objectContaining({ code: 'validation_error' }),
      );
    }
    expect(() => readSinkBatch(records, 42 as never)).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });

  it("passes the meter's own batches through as they are", async () => {
    const seen: unknown[][] = [];
    const inner = createMemorySink();
    const sink = {
      ...inner,
      name: 'watch',
      write: async (batch: readonly unknown[]) => {
        seen.push([batch, readSinkBatch(batch as never)]);
      },
    };
    const meter = createMeter({ sinks: [sink], journal: false });
    await meter.record(records[0]!);
    await meter.flush();
    await meter.close();
    expect(seen).toHaveLength(1);
    const [given, read] = seen[0]! as [unknown, unknown];
    expect(read).toBe(given);
  });
});
