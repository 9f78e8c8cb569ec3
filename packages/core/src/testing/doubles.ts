import type { ChatChunk, ChatResult, ProviderChatRequest, Usage } from '../chat.js';
import { AbortedError, type Forge1Error } from '../errors.js';
import { expectFunction, expectString, readOptions } from '../guards.js';
import type { GuardCheck, GuardSettlement, GuardV1 } from '../ports/guard.js';
import type { KeyPoolV1, Lease, LeaseOutcome } from '../ports/key-pool.js';
import type { MeterV1 } from '../ports/meter.js';
import type { ProviderAdapterV1, ProviderCall } from '../ports/provider-adapter.js';
import type { RouteDecision, RouterV1, Verdict } from '../ports/router.js';
import { Secret } from '../secret.js';
import type { UsageRecord } from '../usage-record.js';

/** What a scripted adapter does for one request: answer with text, or throw. */
export type ScriptedReply =
  | { text: string; outputTokens?: number; inputTokens?: number; usage?: Usage }
  | { error: Forge1Error };

/** A test adapter whose answers a function decides; it records every call. */
export interface ScriptedAdapter extends ProviderAdapterV1 {
  readonly calls: Array<{ request: ProviderChatRequest; keyId?: string }>;
}

/**
 * A {@link ProviderAdapterV1} test double. Streams split the text into words and honour the
 * abort signal between chunks.
 */
export function createScriptedAdapter(
  provider: string,
  reply: (request: ProviderChatRequest, call: ProviderCall) => ScriptedReply,
): ScriptedAdapter {
  expectString(provider, 'createScriptedAdapter', 'provider');
  expectFunction(reply, 'createScriptedAdapter', 'reply');
  const calls: ScriptedAdapter['calls'] = [];
  const answer = (request: ProviderChatRequest, call: ProviderCall): ChatResult => {
    calls.push({ request, ...(call.keyId === undefined ? {} : { keyId: call.keyId }) });
    const scripted = reply(request, call);
    if ('error' in scripted) throw scripted.error;
    return {
      text: scripted.text,
      toolCalls: [],
      finishReason: 'stop',
      usage: scripted.usage ?? {
        inputTokens: scripted.inputTokens ?? 10,
        outputTokens: scripted.outputTokens ?? Math.ceil(scripted.text.length / 4),
        cachedInputTokens: 0,
      },
      provider,
      model: request.model,
      latencyMs: 1,
    };
  };
  return {
    specificationVersion: 'v1',
    provider,
    calls,
    async chat(request, call) {
      return answer(request, call);
    },
    async *stream(request, call): AsyncIterable<ChatChunk> {
      const result = answer(request, call);
      for (const word of result.text.split(/(?<= )/)) {
        await new Promise((resolve) => setImmediate(resolve));
        if (call.signal?.aborted) throw new AbortedError();
        yield { type: 'text-delta', text: word };
      }
      yield { type: 'finish', finishReason: 'stop', usage: result.usage, provider, model: request.model };
    },
  };
}

/** A key pool test double: one unlimited key per provider; records releases. */
export interface StaticKeyPool extends KeyPoolV1 {
  readonly releases: Array<{ keyId: string; outcome: LeaseOutcome | undefined }>;
}

/** Creates a {@link StaticKeyPool} lending `key-<provider>-1` … for each provider, in turn. */
export function createStaticKeyPool(keysPerProvider = 1): StaticKeyPool {
  const releases: StaticKeyPool['releases'] = [];
  const turn = new Map<string, number>();
  return {
    specificationVersion: 'v1',
    releases,
    async acquire(demand) {
      if (demand.signal?.aborted) throw new AbortedError();
      const n = ((turn.get(demand.provider) ?? 0) % keysPerProvider) + 1;
      turn.set(demand.provider, n);
      const keyId = `key-${demand.provider}-${n}`;
      let released = false;
      const lease: Lease = {
        keyId,
        provider: demand.provider,
        secret: new Secret(`sk-test-${demand.provider}-${n}-secret`),
        release(outcome) {
          if (released) return;
          released = true;
          releases.push({ keyId, outcome });
        },
      };
      return lease;
    },
    stats: () => ({ keys: [], queueDepth: 0 }),
  };
}

/**
 * A router test double returning a fixed decision and judging with a function. The decision
 * needs a provider and a model; it is `simple`, with no fallbacks and no ladder, unless given.
 */
export function createStaticRouter(
  decision: Pick<RouteDecision, 'provider' | 'model'> & Partial<RouteDecision>,
  judge: (result: ChatResult) => Verdict = () => ({ escalate: false, confidence: 1, reasons: [] }),
): RouterV1 {
  const decided = readOptions(decision, 'createStaticRouter');
  expectFunction(judge, 'createStaticRouter', 'judge');
  const fixed: RouteDecision = {
    level: 'simple',
    fallbacks: [],
    ladder: [],
    score: 0.5,
    reasons: ['static'],
    estimatedCostMicros: 0,
    ...decided,
  };
  return {
    specificationVersion: 'v1',
    decide: () => ({ ...fixed }),
    judge: (result) => judge(result),
  };
}

/** A meter test double that keeps records in an array. */
export interface RecordingMeter extends MeterV1 {
  readonly records: UsageRecord[];
}

/** Creates a {@link RecordingMeter}. */
export function createRecordingMeter(): RecordingMeter {
  const records: UsageRecord[] = [];
  return {
    specificationVersion: 'v1',
    records,
    async record(record) {
      records.push(record);
    },
    async flush() {},
    async close() {},
  };
}

/** A guard test double that grants every check and keeps the checks and settlements it saw. */
export interface RecordingGuard extends GuardV1 {
  readonly checks: GuardCheck[];
  readonly settlements: GuardSettlement[];
}

/** Creates a {@link RecordingGuard}: no budget, every request admitted. */
export function createRecordingGuard(): RecordingGuard {
  const checks: GuardCheck[] = [];
  const settlements: GuardSettlement[] = [];
  return {
    specificationVersion: 'v1',
    checks,
    settlements,
    async check(check) {
      checks.push(check);
      return { tenantId: check.policy.id, at: 0, remainingBudgetMicros: null };
    },
    async settle(_grant, settlement) {
      settlements.push(settlement);
    },
  };
}
