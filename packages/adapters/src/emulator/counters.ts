import type { EmulatorProvider } from './emulator-options.js';
import { hashApiKey } from './random.js';

/** What the emulator counted for one scope (everything, a key, a model or a provider). */
export interface EmulatorCounterSnapshot {
  /** Requests received on a known route. */
  requests: number;
  /** Answers completed with a 200 (full body sent, or stream ended normally). */
  ok: number;
  /** 429s from the key's own RPM/TPM limits (injected 429s count as `faults`). */
  rateLimited: number;
  /** Error answers other than `rateLimited`: 4xx, 5xx, injected statuses, drops, malformed bodies, mid-stream errors. */
  errors: number;
  /** Requests an injected fault hit (of any kind, `slow` included). */
  faults: number;
  /** Streams started with a 200. */
  streams: number;
  /** Responses the client closed before they were complete. */
  aborted: number;
  /** Input tokens of answered requests, cached ones included. */
  inputTokens: number;
  /** Cached input tokens reported. */
  cachedInputTokens: number;
  /** Input tokens reported as written to the prompt cache (Anthropic breakpoints). */
  cacheWriteInputTokens: number;
  /** Output tokens sent, thinking included (for aborted streams, what was sent before the close). */
  outputTokens: number;
  /** Part of `outputTokens` that was thinking. */
  reasoningTokens: number;
}

/** A counter field. */
export type EmulatorCounterField = keyof EmulatorCounterSnapshot;

/** Live counters of the emulator, for tests and benchmarks to assert on. */
export interface EmulatorCounters {
  /** Everything. */
  total(): EmulatorCounterSnapshot;
  /** One API key, looked up by value (stored only as a hash). */
  forKey(apiKey: string): EmulatorCounterSnapshot;
  /** One model id. */
  forModel(model: string): EmulatorCounterSnapshot;
  /** One provider wire format. */
  forProvider(provider: EmulatorProvider): EmulatorCounterSnapshot;
  /** Every key seen, by its hash (see `hashApiKey`), never by value. */
  byKeyHash(): Record<string, EmulatorCounterSnapshot>;
  /** Every model seen. */
  byModel(): Record<string, EmulatorCounterSnapshot>;
  /** Sets every counter back to zero. */
  reset(): void;
}

/** Where one event is counted. */
export interface CounterScope {
  provider: EmulatorProvider;
  model?: string;
  keyHash?: string;
}

/** The emulator's side of the counters: increments. */
export interface CounterRecorder extends EmulatorCounters {
  add(scope: CounterScope, field: EmulatorCounterField, amount?: number): void;
}

const emptySnapshot = (): EmulatorCounterSnapshot => ({
  requests: 0,
  ok: 0,
  rateLimited: 0,
  errors: 0,
  faults: 0,
  streams: 0,
  aborted: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** Creates the counters; snapshots are copies, so they do not change after being read. */
export function createCounters(): CounterRecorder {
  let total = emptySnapshot();
  const keys = new Map<string, EmulatorCounterSnapshot>();
  const models = new Map<string, EmulatorCounterSnapshot>();
  const providers = new Map<string, EmulatorCounterSnapshot>();

  const bucket = (map: Map<string, EmulatorCounterSnapshot>, id: string) => {
    let found = map.get(id);
    if (!found) {
      found = emptySnapshot();
      map.set(id, found);
    }
    return found;
  };
  const copy = (snapshot: EmulatorCounterSnapshot | undefined) => ({ ...(snapshot ?? emptySnapshot()) });
  const copyAll = (map: Map<string, EmulatorCounterSnapshot>) =>
    Object.fromEntries([...map].map(([id, snapshot]) => [id, copy(snapshot)]));

  return {
    add(scope, field, amount = 1) {
      total[field] += amount;
      bucket(providers, scope.provider)[field] += amount;
      if (scope.model !== undefined) bucket(models, scope.model)[field] += amount;
      if (scope.keyHash !== undefined) bucket(keys, scope.keyHash)[field] += amount;
    },
    total: () => copy(total),
    forKey: (apiKey) => copy(keys.get(hashApiKey(apiKey))),
    forModel: (model) => copy(models.get(model)),
    forProvider: (provider) => copy(providers.get(provider)),
    byKeyHash: () => copyAll(keys),
    byModel: () => copyAll(models),
    reset() {
      total = emptySnapshot();
      keys.clear();
      models.clear();
      providers.clear();
    },
  };
}
