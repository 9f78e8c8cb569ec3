import {
  createSeededRandom,
  ErrorCode,
  Forge1Error,
  type GatewayResult,
  Secret,
  totalTokens,
} from '@forge1/core';
import { sql } from 'kysely';
import {
  type ChaosMode,
  type ChaosStack,
  chaosTenants,
  createChaosStack,
  downProvider,
  revokedProvider,
} from './chaos-stack.ts';
import { heapAfterGc } from './heap.ts';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  mode: ChaosMode;
  requests: number;
  concurrency: number;
  seed: number;
  dataDir: string;
  /** Sample the heap (after a full GC) every this many completed requests. */
  heapEvery: number;
  onProgress?: (done: number, total: number) => void;
}

/** A circuit event, with how many requests had been launched when it fired. */
export interface CircuitEvent {
  type: 'open' | 'halfOpen' | 'close';
  provider: string;
  model: string;
  launched: number;
}

/** An order-independent digest of a set of attempts: count, token sums and a sum of hashes. */
export interface AttemptDigest {
  count: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  hash: bigint;
}

/** What a chaos run observed. */
export interface ChaosReport {
  mode: ChaosMode;
  requests: number;
  durationMs: number;
  succeeded: number;
  failed: number;
  /** Failed requests whose route had at least one fallback: must be 0. */
  failedWithFallback: number;
  errorCodes: Record<string, number>;
  /** Unexpected (non-Forge1Error) throws: must be 0. */
  untyped: number;
  attempts: number;
  cascaded: number;
  fellBack: number;
  outage: { from: number; to: number };
  revoke: { keyId: string; at: number; disabledEvents: number; servedAfterDisable: number };
  circuitEvents: CircuitEvent[];
  /** Attempts refused by an open circuit, by provider. */
  circuitRefusals: Record<string, number>;
  /** Circuits still not closed at the end of the run, closed by one probe each afterwards. */
  probed: string[];
  /** Circuits not closed after the probes: must be empty. */
  stillOpen: string[];
  gatewayAttempts: AttemptDigest;
  stored: AttemptDigest & { distinctIds: number; distinctAttempts: number };
  heap: Array<{ done: number; bytes: number }>;
}

const prompts = [
  'Hi there, how are you today?',
  'How do I reset my password on the customer portal?',
  'Write a Python function that parses a CSV file and returns the rows as dictionaries.',
  'Analyse the root cause of this outage and compare two remediation designs for our payment service incident, with the trade-offs of each.',
  'Summarise this contract clause for a compliance audit: the supplier shall notify the customer of any breach within 72 hours.',
  'Translate "good morning, the meeting moved to Thursday" into French and German.',
  'Debug this stack trace: TypeError: Cannot read properties of undefined (reading "id") at OrderService.load (order.ts:42).',
  'What is the capital of Australia?',
];

const fnv = (text: string): bigint => {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
};
const MASK = (1n << 64n) - 1n;
const emptyDigest = (): AttemptDigest => ({
  count: 0,
  inputTokens: 0,
  outputTokens: 0,
  costMicros: 0,
  hash: 0n,
});
const addToDigest = (digest: AttemptDigest, id: string, input: number, output: number, cost: number) => {
  digest.count++;
  digest.inputTokens += input;
  digest.outputTokens += output;
  digest.costMicros += cost;
  digest.hash = (digest.hash + fnv(id)) & MASK;
};
const attemptId = (requestId: string, attempt: number) => `${requestId}#${attempt}`;

/** Digest of every usage record the SQLite store holds, read in pages so memory stays bounded. */
async function storedDigest(stack: ChaosStack): Promise<ChaosReport['stored']> {
  const { db, table } = stack.sink.database;
  await stack.sink.database.migrate();
  const digest = emptyDigest();
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom(table)
      .select(['id', 'request_id', 'attempt', 'input_tokens', 'output_tokens', 'cost_micros'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(20_000)
      .execute()) as Array<{
      id: string;
      request_id: string;
      attempt: number;
      input_tokens: number;
      output_tokens: number;
      cost_micros: number;
    }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      addToDigest(
        digest,
        attemptId(row.request_id, Number(row.attempt)),
        Number(row.input_tokens),
        Number(row.output_tokens),
        Number(row.cost_micros),
      );
    }
    after = rows.at(-1)!.id;
  }
  const distinct = (await db
    .selectFrom(table)
    .select([
      sql<number>`count(distinct id)`.as('ids'),
      sql<number>`count(distinct request_id || '#' || attempt)`.as('attempts'),
    ])
    .executeTakeFirst()) as { ids: number; attempts: number } | undefined;
  return {
    ...digest,
    distinctIds: Number(distinct?.ids ?? 0),
    distinctAttempts: Number(distinct?.attempts ?? 0),
  };
}

/** A circuit's name in reports: `provider/model`. */
export const circuitName = (provider: string, model: string) => `${provider}/${model}`;

/** After the run: one probe through each circuit not closed, once its reset time has passed. */
async function probeCircuits(
  stack: ChaosStack,
  revoked: string,
): Promise<{ probed: string[]; stillOpen: string[] }> {
  stack.clearFaults();
  const notClosed = () =>
    Object.values(stack.adapters).flatMap((adapter) =>
      adapter.circuits().filter((circuit) => circuit.state !== 'closed'),
    );
  const probed = notClosed().map((circuit) => circuitName(circuit.provider, circuit.model));
  if (probed.length > 0) {
    await new Promise((resolve) => setTimeout(resolve, stack.resetTimeoutMs + 50));
    for (const circuit of notClosed()) {
      const key = stack.keys.find(
        (candidate) => candidate.provider === circuit.provider && candidate.secret !== revoked,
      );
      await stack.adapters[circuit.provider]
        ?.chat(
          { model: circuit.model, messages: [{ role: 'user', content: 'Are you back?' }] },
          { apiKey: new Secret(String(key?.secret)), keyId: key?.id ?? 'probe', timeoutMs: 5_000 },
        )
        .catch(() => undefined);
    }
  }
  return { probed, stillOpen: notClosed().map((circuit) => circuitName(circuit.provider, circuit.model)) };
}

/**
 * Runs `requests` chat requests at `concurrency` through a full gateway with faults: 10 % 500s,
 * 5 % 429s and 2 % timeouts throughout, {@link downProvider} answering 503 for the middle third
 * of the launches, and one {@link revokedProvider} key revoked at the half. Returns what it saw;
 * {@link chaosViolations} says what breaks the promises.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const stack = await createChaosStack({ mode: options.mode, dataDir: options.dataDir, seed: options.seed });
  const { gateway, events } = stack;
  const random = createSeededRandom(options.seed + 1);
  const total = options.requests;
  const outage = { from: Math.floor(total / 3), to: Math.floor((2 * total) / 3) };
  const revokedKey = stack.keys.filter((key) => key.provider === revokedProvider)[0]!;
  const revokeAt = Math.floor(total / 2);

  let launched = 0;
  let done = 0;
  const report: ChaosReport = {
    mode: options.mode,
    requests: total,
    durationMs: 0,
    succeeded: 0,
    failed: 0,
    failedWithFallback: 0,
    errorCodes: {},
    untyped: 0,
    attempts: 0,
    cascaded: 0,
    fellBack: 0,
    outage,
    revoke: { keyId: revokedKey.id, at: revokeAt, disabledEvents: 0, servedAfterDisable: 0 },
    circuitEvents: [],
    circuitRefusals: {},
    probed: [],
    stillOpen: [],
    gatewayAttempts: emptyDigest(),
    stored: { ...emptyDigest(), distinctIds: 0, distinctAttempts: 0 },
    heap: [],
  };

  const hasFallback = new Map<string, boolean>();
  events.on('route', ({ requestId, decision }) => hasFallback.set(requestId, decision.fallbacks.length > 0));
  for (const type of ['open', 'halfOpen', 'close'] as const) {
    events.on(`circuit.${type}`, ({ provider, model }) =>
      report.circuitEvents.push({ type, provider, model, launched }),
    );
  }
  let disabled = false;
  events.on('key.disabled', ({ keyId }) => {
    if (keyId !== revokedKey.id) return;
    report.revoke.disabledEvents++;
    disabled = true;
  });
  events.on('attempt', ({ keyId, ok, errorCode, provider }) => {
    if (disabled && ok && keyId === revokedKey.id) report.revoke.servedAfterDisable++;
    if (errorCode === ErrorCode.circuitOpen) {
      report.circuitRefusals[provider] = (report.circuitRefusals[provider] ?? 0) + 1;
    }
  });

  const account = (result: GatewayResult) => {
    report.succeeded++;
    report.attempts += result.attempts.length;
    if (result.cascaded) report.cascaded++;
    if (result.fellBack) report.fellBack++;
    for (const attempt of result.attempts) {
      if (totalTokens(attempt.usage) === 0) continue;
      addToDigest(
        report.gatewayAttempts,
        attemptId(result.requestId, attempt.attempt),
        attempt.usage.inputTokens,
        attempt.usage.outputTokens,
        attempt.costMicros,
      );
    }
  };

  const one = async (index: number) => {
    const tenant = chaosTenants[index % chaosTenants.length]!;
    const requestId = `${options.seed}-${index}`;
    try {
      const result = await gateway.chat({
        tenant: tenant.id,
        employee: `${tenant.id}-employee-${Math.floor(random() * 5)}`,
        user: `${tenant.id}-user-${Math.floor(random() * 20)}`,
        requestId,
        messages: [{ role: 'user', content: prompts[Math.floor(random() * prompts.length)]! }],
      });
      account(result);
    } catch (error) {
      report.failed++;
      if (!Forge1Error.is(error)) report.untyped++;
      const code = Forge1Error.is(error) ? error.code : 'untyped';
      report.errorCodes[code] = (report.errorCodes[code] ?? 0) + 1;
      if (hasFallback.get(requestId)) report.failedWithFallback++;
    } finally {
      hasFallback.delete(requestId);
    }
  };

  const started = performance.now();
  report.heap.push({ done: 0, bytes: heapAfterGc() });
  let nextSample = options.heapEvery;
  const worker = async () => {
    while (launched < total) {
      const index = launched++;
      if (index === outage.from) stack.setOutage(true);
      if (index === outage.to) stack.setOutage(false);
      if (index === revokeAt) stack.revoke(String(revokedKey.secret));
      await one(index);
      done++;
      if (done >= nextSample) {
        nextSample += options.heapEvery;
        report.heap.push({ done, bytes: heapAfterGc() });
        options.onProgress?.(done, total);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.durationMs = performance.now() - started;

  Object.assign(report, await probeCircuits(stack, String(revokedKey.secret)));
  await stack.meter.flush();
  report.stored = await storedDigest(stack);
  await stack.close();
  return report;
}
