import { type MeterSinkV1, type UsageRecord, wrapSink } from '@forge1/core';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleUsageRecords } from './sample-records.js';

/** What a sink's factory gives the conformance kit: the sink, and a way to read back what it stored. */
export interface SinkHarness {
  sink: MeterSinkV1;
  /**
   * Every record the sink has stored, one entry per stored copy (a duplicate appears twice),
   * read from where the sink stores them. Called after `close()` too.
   */
  stored(): Promise<UsageRecord[]>;
  /** Removes what the harness created (tables, files, servers). */
  dispose?(): Promise<void>;
}

/** Options of {@link runSinkConformance}. */
export interface SinkConformanceOptions {
  /** Records in the large-batch case. @default 5000 */
  largeBatch?: number;
}

const byId = (records: readonly UsageRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));

/**
 * Runs the MeterSink contract against a sink factory (a fresh, empty sink per test) with
 * vitest: every field stored intact, idempotency by id, batch order irrelevant, empty
 * batches, a large batch, concurrent writes, bad batches refused, and close semantics.
 * @example
 * ```ts
 * import { runSinkConformance } from '@forge1/metering/testing';
 * runSinkConformance('my sink', async () => {
 *   const sink = createMySink();
 *   return { sink, stored: () => sink.readAll() };
 * });
 * ```
 */
export function runSinkConformance(
  name: string,
  factory: () => SinkHarness | Promise<SinkHarness>,
  options: SinkConformanceOptions = {},
): void {
  const largeBatch = options.largeBatch ?? 5000;
  describe(`MeterSink conformance: ${name}`, () => {
    let harness: SinkHarness | undefined;
    let sink: ReturnType<typeof wrapSink>;

    const open = async () => {
      harness = await factory();
      sink = wrapSink(harness.sink);
      await sink.init();
      return harness;
    };

    afterEach(async () => {
      await sink?.close();
      await harness?.dispose?.();
      harness = undefined;
    });

    it('declares version v1 and a name', async () => {
      const { sink: raw } = await open();
      expect(raw.specificationVersion).toBe('v1');
      expect(raw.name.length).toBeGreaterThan(0);
    });

    it('stores every field of every record intact', async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(50, { seed: 11 });
      await sink.write(records);
      expect(byId(await stored())).toEqual(byId(records));
    });

    it('keeps the cache-write, reasoning and content-part counts', async () => {
      const { stored } = await open();
      const [record] = sampleUsageRecords(1, { seed: 15 });
      const full = {
        ...record!,
        inputTokens: 1000,
        cachedInputTokens: 100,
        cacheWriteInputTokens: 600,
        cacheWrite1hInputTokens: 200,
        outputTokens: 300,
        reasoningTokens: 120,
        textParts: 3,
        imageParts: 2,
        fileParts: 1,
      };
      await sink.write([full]);
      expect(await stored()).toEqual([full]);
    });

    it('stores a record delivered twice only once', async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(20, { seed: 12 });
      await sink.write(records);
      await sink.write(records);
      await sink.write(records.slice(5, 10));
      expect(byId(await stored())).toEqual(byId(records));
    });

    it('stores overlapping batches as their union', async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(30, { seed: 13 });
      await sink.write(records.slice(0, 20));
      await sink.write(records.slice(10, 30));
      expect(byId(await stored())).toEqual(byId(records));
    });

    it('does not depend on the order of records in a batch', async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(40, { seed: 14 });
      await sink.write([...records].reverse());
      expect(byId(await stored())).toEqual(byId(records));
    });

    it('accepts an empty batch and stores nothing', async () => {
      const { stored } = await open();
      await sink.write([]);
      expect(await stored()).toEqual([]);
    });

    it(`stores a large batch of ${largeBatch} records`, async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(largeBatch, { seed: 15, stepMs: 10 });
      await sink.write(records);
      const result = await stored();
      expect(result).toHaveLength(largeBatch);
      expect(new Set(result.map((record) => record.id))).toEqual(new Set(records.map((record) => record.id)));
    });

    it('stores concurrent overlapping writes once each', async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(200, { seed: 16 });
      await Promise.all(Array.from({ length: 8 }, (_, i) => sink.write(records.slice(i * 20, i * 20 + 60))));
      const expected = records.slice(0, 7 * 20 + 60);
      expect(byId(await stored())).toEqual(byId(expected));
    });

    it('refuses a batch that is not an array of usage records with a validation_error, storing none of it', async () => {
      const { sink: raw, stored } = await open();
      const [record] = sampleUsageRecords(1, { seed: 18 });
      const throwing = Object.defineProperty({ ...record! }, 'tenantId', {
        enumerable: true,
        get: () => {
          throw new RangeError('from the caller');
        },
      });
      const sparse = new Array(2);
      sparse[1] = record;
      for (const batch of [
        sparse,
        null,
        'records',
        { length: 1 },
        [record, {}],
        [record, throwing],
        [{ ...record!, inputTokens: Number.NaN }],
      ]) {
        await expect(raw.write(batch as never)).rejects.toMatchObject({ code: 'validation_error' });
      }
      expect(await stored()).toEqual([]);
    });

    it('keeps what was written when closed, closes once, and refuses writes after close', async () => {
      const { stored } = await open();
      const records = sampleUsageRecords(10, { seed: 17 });
      await sink.write(records);
      await sink.close();
      await sink.close();
      await expect(sink.write(records)).rejects.toMatchObject({ code: 'closed' });
      expect(byId(await stored())).toEqual(byId(records));
    });
  });
}
