import { describe, expect, it } from 'vitest';
import { billingPeriod, parseUsageRecord, ulid, usageRecordSchema, ValidationError } from './index.js';

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

  it('computes the UTC billing period', () => {
    expect(billingPeriod(Date.UTC(2026, 0, 31, 23, 59))).toBe('2026-01');
    expect(billingPeriod(Date.UTC(2026, 11, 1))).toBe('2026-12');
  });
});
