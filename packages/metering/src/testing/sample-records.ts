import {
  billingPeriod,
  createSeededRandom,
  createUlidFactory,
  readOptions,
  type UsageRecord,
  ValidationError,
} from '@forge1/core';

/** Options of {@link sampleUsageRecords}. */
export interface SampleRecordOptions {
  /** Seed of the deterministic generator. @default 1 */
  seed?: number;
  /** Timestamp of the first record (epoch ms); each next one is `stepMs` later. @default 2026-01-01 */
  start?: number;
  /** @default 1000 */
  stepMs?: number;
  /** Tenants to spread records over. @default ['acme', 'globex'] */
  tenants?: readonly string[];
  /** Models to spread records over. @default a small, a standard and an advanced model */
  models?: ReadonlyArray<{ provider: string; model: string }>;
}

const defaultModels = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'openai', model: 'gpt-4.1' },
  { provider: 'anthropic', model: 'claude-haiku-4-5' },
];

/** Cache writes (some for an hour), reasoning and content parts on some records. */
function addTokenKinds(record: UsageRecord, random: () => number): void {
  const uncached = record.inputTokens - record.cachedInputTokens;
  if (random() < 0.3 && uncached > 0) {
    record.cacheWriteInputTokens = 1 + Math.floor(random() * (uncached - 1));
    if (random() < 0.5)
      record.cacheWrite1hInputTokens = Math.floor(random() * record.cacheWriteInputTokens) || 1;
  }
  if (random() < 0.3 && record.outputTokens > 0)
    record.reasoningTokens = 1 + Math.floor(random() * (record.outputTokens - 1));
  if (random() < 0.6) record.textParts = 1 + Math.floor(random() * 3);
  if (random() < 0.2) record.imageParts = 1 + Math.floor(random() * 2);
  if (random() < 0.1) record.fileParts = 1;
  if (random() < 0.1) record.purpose = 'judge';
  if (random() < 0.1) record.estimated = true;
  if (random() < 0.1) record.annotations = { redactions: 1 + Math.floor(random() * 3) };
}

/**
 * Valid, varied usage records, deterministic for a seed: every optional field (the cache-write,
 * reasoning and content-part counts included) appears on some records and is missing on others.
 * @throws ValidationError when `count` is not a whole number from 0 to 10 000 000, or the options are bad.
 * @example
 * ```ts
 * const records = sampleUsageRecords(100, { tenants: ['acme'] });
 * ```
 */
export function sampleUsageRecords(count: number, input: SampleRecordOptions = {}): UsageRecord[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > 10_000_000) {
    throw new ValidationError('sampleUsageRecords arguments', [
      { path: 'count', message: 'expected a whole number from 0 to 10 000 000' },
    ]);
  }
  const options = readOptions(input, 'sampleUsageRecords');
  const random = createSeededRandom(options.seed ?? 1);
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const step = options.stepMs ?? 1000;
  const tenants = options.tenants ?? ['acme', 'globex'];
  const models = options.models ?? defaultModels;
  let time = start;
  const ulid = createUlidFactory({ now: () => time, random });
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const records: UsageRecord[] = [];
  for (let i = 0; i < count; i++) {
    time = start + i * step;
    const { provider, model } = pick(models);
    const inputTokens = 1 + Math.floor(random() * 4000);
    const failed = random() < 0.1;
    const record: UsageRecord = {
      id: ulid(),
      timestamp: time,
      period: billingPeriod(time),
      tenantId: pick(tenants),
      requestId: `req-${Math.floor(i / 2)}`,
      attempt: 1 + (i % 2),
      provider,
      model,
      inputTokens,
      outputTokens: Math.floor(random() * 1000),
      cachedInputTokens: Math.floor(random() * inputTokens * 0.5),
      costMicros: Math.floor(random() * 50_000),
      latencyMs: Math.floor(random() * 5000),
      status: failed ? 'error' : 'ok',
      cascaded: random() < 0.2,
      fallback: random() < 0.1,
    };
    if (random() < 0.8) record.clientId = pick(['client-a', 'client-b']);
    if (random() < 0.8) record.employeeId = pick(['emp-1', 'emp-2', 'emp-3']);
    if (random() < 0.8) record.userId = pick(['user-1', 'user-2', 'user-3', 'user-4']);
    if (random() < 0.5) record.sessionId = `session-${Math.floor(random() * 10)}`;
    if (random() < 0.9) record.keyId = pick(['key-1', 'key-2']);
    if (failed) record.errorCode = 'provider_unavailable';
    if (random() < 0.7) record.level = pick(['simple', 'moderate', 'complex', 'critical'] as const);
    if (random() < 0.2) record.metadata = { feature: pick(['chat', 'summary']) };
    addTokenKinds(record, random);
    records.push(record);
  }
  return records;
}
