import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billingPeriod,
  optionalRecordCounts,
  parseUsageRecord,
  ulid,
  usageRecordSchema,
  ValidationError,
} from './index.js';

const valid = () => ({
  id: ulid(),
  timestamp: Date.UTC(2026, 10, 23, 12),
  period: '2026-11',
  tenantId: 'acme',
  employeeId: 'e-1',
  requestId: 'r-1',
  attempt: 1,
  provider: 'openai',
  model: 'gpt-4.1',
  keyId: 'k-1',
  inputTokens: 100,
  outputTokens: 20,
  cachedInputTokens: 50,
  costMicros: 385,
  latencyMs: 120,
  status: 'ok' as const,
  cascaded: false,
  fallback: false,
});

describe('usage records', () => {
  it('accepts a well-formed record', () => {
    const record = valid();
    expect(parseUsageRecord(record)).toEqual(record);
    expect(usageRecordSchema.safeParse(record).success).toBe(true);
  });

  it('names each bad field of a malformed record', () => {
    const bad = {
      ...valid(),
      id: 'not-a-ulid',
      period: '2026-13',
      inputTokens: -1,
      cachedInputTokens: 500,
      status: 'done',
    };
    try {
      parseUsageRecord(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['id', 'period', 'inputTokens', 'status']));
    }
  });

  it('refuses unknown fields, so that nothing unexpected (a secret, a prompt) is stored by accident', () => {
    expect(() => parseUsageRecord({ ...valid(), apiKey: 'sk-123' })).toThrow(/apiKey/);
  });

  it('refuses cached tokens above input tokens', () => {
    expect(() => parseUsageRecord({ ...valid(), cachedInputTokens: 101 })).toThrow(/cachedInputTokens/);
  });

  it('carries cache-write, reasoning and content-part counts', () => {
    const record = {
      ...valid(),
      cacheWriteInputTokens: 30,
      cacheWrite1hInputTokens: 10,
      reasoningTokens: 15,
      textParts: 2,
      imageParts: 1,
      fileParts: 1,
    };
    expect(parseUsageRecord(record)).toEqual(record);
  });

  it('drops optional counts that are 0, so every sink returns the same record', () => {
    const record = valid();
    expect(parseUsageRecord({ ...record, reasoningTokens: 0, imageParts: 0 })).toEqual(record);
  });

  it('refuses parts of a token count larger than the count', () => {
    expect(() => parseUsageRecord({ ...valid(), cacheWriteInputTokens: 51 })).toThrow(
      /cacheWriteInputTokens/,
    );
    expect(() =>
      parseUsageRecord({ ...valid(), cacheWriteInputTokens: 5, cacheWrite1hInputTokens: 6 }),
    ).toThrow(/cacheWrite1hInputTokens/);
    expect(() => parseUsageRecord({ ...valid(), reasoningTokens: 21 })).toThrow(/reasoningTokens/);
  });

  it('computes the UTC billing period', () => {
    expect(billingPeriod(Date.UTC(2026, 0, 31, 23, 59))).toBe('2026-01');
    expect(billingPeriod(Date.UTC(2026, 11, 1))).toBe('2026-12');
  });

  it('gives every timestamp its own month, asked in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -62_000_000_000_000, max: 8_000_000_000_000 })), (stamps) => {
        for (const stamp of stamps) {
          const date = new Date(stamp);
          const expected = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
          expect(billingPeriod(stamp)).toBe(expected);
        }
      }),
    );
    const lastOfMonth = Date.UTC(2026, 1, 28, 23, 59, 59, 999);
    expect([billingPeriod(lastOfMonth), billingPeriod(lastOfMonth + 1), billingPeriod(lastOfMonth)]).toEqual([
      '2026-02',
      '2026-03',
      '2026-02',
    ]);
  });

  it('accepts and refuses exactly what the schema does (the fast path agrees with zod)', () => {
    const edge = fc.oneof(
      fc.constantFrom(
        undefined,
        null,
        Number.NaN,
        -1,
        0,
        1,
        1.5,
        1000,
        1001,
        86_400_001,
        Number.MAX_SAFE_INTEGER + 2,
      ),
      fc.constantFrom(
        '',
        'x',
        'x'.repeat(101),
        'x'.repeat(201),
        '2026-13',
        '2026-00',
        '2026-1',
        'ok',
        'aborted',
        'done',
      ),
      fc.constantFrom('simple', 'critical', 'huge', true, false, [], {}, { a: 'b' }, { a: 1 }),
      fc.constantFrom(
        '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        '81ARZ3NDEKTSV4RRFFQ69G5FAV',
        '01ARZ3NDEKTSV4RRFFQ69G5FAI',
      ),
    );
    const keys = [
      ...Object.keys(valid()),
      'clientId',
      'userId',
      'sessionId',
      'errorCode',
      'level',
      'metadata',
      'extra',
      ...optionalRecordCounts,
    ];
    const dropZeros = (data: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(data).filter(
          ([key, value]) => !(optionalRecordCounts as readonly string[]).includes(key) || value !== 0,
        ),
      );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), edge, { maxKeys: 4 }), (changes) => {
        const input = { ...valid(), ...changes };
        const expected = usageRecordSchema.safeParse(input);
        let parsed: unknown;
        try {
          parsed = parseUsageRecord(input);
        } catch (error) {
          return !expected.success && error instanceof ValidationError;
        }
        return expected.success && isDeepStrictEqual(parsed, dropZeros(expected.data));
      }),
      { numRuns: 5_000, seed: 7 },
    );
  });
});
