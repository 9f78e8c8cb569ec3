import type { KeyDemand } from '@forge1/core';
import { createEventBus, type Forge1EventName, type Forge1Events } from '@forge1/core';
import { createFakeClock, type FakeClock } from '@forge1/core/testing';
import { createKeyPool, type KeyInput, type KeyPool, type KeyPoolOptions } from '@forge1/keypool';

/** A test key of provider openai: 60 rpm, 100k tpm unless overridden. */
export const key = (id: string, extra: Partial<KeyInput> = {}): KeyInput => ({
  id,
  provider: 'openai',
  secret: `sk-test-${id}-0123456789abcdef`,
  rpm: 60,
  tpm: 100_000,
  ...extra,
});

/** A demand for gpt-4o-mini of 100 tokens by an enterprise tenant unless overridden. */
export const demand = (extra: Partial<KeyDemand> = {}): KeyDemand => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  estTokens: 100,
  tenantId: 'tenant-1',
  tier: 'enterprise',
  ...extra,
});

/** A pool on a fake clock, signals off unless asked, with every event recorded. */
export function setup(options: Partial<KeyPoolOptions> & Pick<KeyPoolOptions, 'keys'>): {
  clock: FakeClock;
  pool: KeyPool;
  seen: Array<{ event: Forge1EventName; payload: unknown }>;
  emitted: <E extends Forge1EventName>(event: E) => Forge1Events[E][];
} {
  const clock = createFakeClock();
  const events = createEventBus();
  const seen: Array<{ event: Forge1EventName; payload: unknown }> = [];
  const names: Forge1EventName[] = [
    'key.cooldown',
    'key.disabled',
    'key.enabled',
    'key.learned',
    'pool.saturated',
    'pool.underused',
  ];
  for (const event of names) events.on(event, (payload) => seen.push({ event, payload }));
  const pool = createKeyPool({ signals: false, clock, events, ...options });
  const emitted = <E extends Forge1EventName>(event: E) =>
    seen.filter((entry) => entry.event === event).map((entry) => entry.payload as Forge1Events[E]);
  return { clock, pool, seen, emitted };
}

/** Settles pending promise callbacks. */
export const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Tracks a promise's state without awaiting it. */
export function track<T>(promise: Promise<T>): {
  settled: () => boolean;
  value: () => T | undefined;
  error: () => unknown;
} {
  let settled = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (resolved) => {
      settled = true;
      value = resolved;
    },
    (rejected: unknown) => {
      settled = true;
      error = rejected;
    },
  );
  return { settled: () => settled, value: () => value, error: () => error };
}
