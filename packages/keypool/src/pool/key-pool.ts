import { randomBytes } from 'node:crypto';
import {
  AbortedError,
  ClosedError,
  createEventBus,
  defaultTierSettings,
  ErrorCode,
  Forge1Error,
  type KeyDemand,
  type Lease,
  type LeaseOutcome,
  NoCapacityError,
  type RateLimitInfo,
  Secret,
  systemClock,
  type TimerHandle,
  ValidationError,
} from '@forge1/core';
import { checkDemand } from '../keys/key-demand.js';
import {
  catalogProviders,
  type KeyConfig,
  type KeyInput,
  type KeySecretSource,
  parseKeys,
  parsePoolOptions,
  planTiers,
} from '../keys/key-options.js';
import { NoKeyInRegionError } from '../keys/no-key-in-region-error.js';
import { buildCandidate, createPoolKey, isLendable, type PoolKey, servesModel } from '../keys/pool-key.js';
import { planReserves } from '../keys/tier-reserves.js';
import { WaitLog } from '../keys/usage-meter.js';
import { createMemoryStateStore } from '../store/memory-state-store.js';
import type { Awaitable, KeyCandidate, StateStoreV1, TakeResult } from '../store/state-store.js';
import { keyStats, meanUtilisation } from './pool-stats.js';
import type { KeyPool, KeyPoolOptions, PoolStats, ProviderStats } from './pool-types.js';
import { type QueueEntry, WaiterQueue } from './waiter-queue.js';

interface Plan {
  shared: KeyCandidate[];
  byTenant: Map<string, KeyCandidate[]>;
  /** Some key for the model still waits for its secret resolver. */
  pending: boolean;
}

interface ProviderState {
  readonly name: string;
  readonly keys: PoolKey[];
  readonly queue: WaiterQueue<Waiter>;
  readonly plans: Map<string, Plan>;
  /** Last acquire time per tier (index in the tier plan), for reserves. */
  readonly lastSeen: Float64Array;
  readonly waits: WaitLog;
  inFlight: number;
  wakeTimer: TimerHandle | undefined;
  wakeAt: number;
  pumping: boolean;
  pumpAgain: boolean;
  cooldowns: number;
  signal: 'normal' | 'saturated' | 'underused';
}

interface Waiter extends QueueEntry {
  readonly demand: KeyDemand;
  readonly provider: ProviderState;
  readonly tierIndex: number;
  readonly priority: number;
  readonly enqueuedAt: number;
  readonly leaseId: string;
  timer: TimerHandle | undefined;
  onAbort: (() => void) | undefined;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
  done: boolean;
  lastAt: number;
  lastRetryAfterMs: number;
}

interface LeaseState {
  readonly key: PoolKey;
  readonly provider: ProviderState;
  readonly expiresAt: number;
  readonly tokens: number;
}

const PUMP_TRIES = 16;
const MAX_SCAN = 1024;
const noCandidates: readonly KeyCandidate[] = [];

const isThenable = <T>(value: Awaitable<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

const then = <T>(value: Awaitable<T>, next: (resolved: T) => void): void => {
  if (isThenable(value)) value.then(next, () => undefined);
  else next(value);
};

/**
 * Creates a key pool: lends provider keys within their rolling RPM/TPM (and RPD, concurrency,
 * group) budgets, dedicated keys first, shared keys holding back the reserves of higher tiers,
 * backup keys last; queues by tier priority with aging when nothing has room.
 *
 * @example
 * ```ts
 * const pool = createKeyPool({
 *   keys: [
 *     { id: 'openai-1', provider: 'openai', secret: process.env.OPENAI_KEY_1!, rpm: 500, tpm: 200_000 },
 *     { id: 'openai-2', provider: 'openai', secret: () => vault.read('openai-2'), rpm: 500, tpm: 200_000 },
 *   ],
 * });
 * const lease = await pool.acquire({ provider: 'openai', model: 'gpt-4o-mini', estTokens: 900, tenantId: 'acme', tier: 'standard' });
 * try { const result = await callOpenAI(lease.secret); lease.release({ usage: result.usage }); }
 * catch (error) { lease.release({ error }); throw error; }
 * ```
 * @throws ValidationError on bad options or keys (duplicate ids, non-positive limits, unknown providers or groups).
 */
export function createKeyPool(options: KeyPoolOptions): KeyPool {
  const parsed = parsePoolOptions(options);
  const clock = parsed.clock ?? systemClock;
  const ownStore = parsed.store === undefined;
  const store: StateStoreV1 = parsed.store ?? createMemoryStateStore({ clock });
  const events = parsed.events ?? createEventBus();
  const random = (parsed.random as (() => number) | undefined) ?? Math.random;
  const { maxWaitMs, leaseTtlMs, activityWindowMs, groups } = parsed;
  const agingPerMs = parsed.agingPerSecond / 1000;
  const tierPlan = planTiers(defaultTierSettings, parsed.tiers);
  const tierIndex = new Map(tierPlan.map((entry, index) => [entry.tier, index]));
  const knownProviders = new Set([...catalogProviders, ...parsed.providers]);
  const configs = parseKeys(parsed.keys, { providers: knownProviders, groups, existing: new Set() });

  const providers = new Map<string, ProviderState>();
  const keysById = new Map<string, PoolKey>();
  const leases = new Map<string, LeaseState>();
  const pending = new Set<Promise<void>>();
  const leasePrefix = `${randomBytes(4).toString('hex')}-`;
  let leaseCount = 0;
  let sequence = 0;
  let nextLeaseSweep = Number.POSITIVE_INFINITY;
  let closed = false;
  let signalTimer: TimerHandle | undefined;

  const providerState = (name: string): ProviderState => {
    let state = providers.get(name);
    if (!state) {
      state = {
        name,
        keys: [],
        queue: new WaiterQueue<Waiter>(),
        plans: new Map(),
        lastSeen: new Float64Array(tierPlan.length).fill(Number.NEGATIVE_INFINITY),
        waits: new WaitLog(),
        inFlight: 0,
        wakeTimer: undefined,
        wakeAt: Number.POSITIVE_INFINITY,
        pumping: false,
        pumpAgain: false,
        cooldowns: 0,
        signal: 'normal',
      };
      providers.set(name, state);
    }
    return state;
  };

  const invalidate = (provider: ProviderState) => provider.plans.clear();

  const inRegions = (key: PoolKey, regions: readonly string[] | undefined) =>
    regions === undefined || (key.config.region !== undefined && regions.includes(key.config.region));

  const planFor = (provider: ProviderState, model: string, regions?: readonly string[]): Plan => {
    const name =
      regions === undefined
        ? model
        : `${model}\u0000${regions.length === 1 ? regions[0] : regions.join('\u0000')}`;
    let plan = provider.plans.get(name);
    if (!plan) {
      const serving = provider.keys.filter(
        (key) => isLendable(key) && servesModel(key, model) && inRegions(key, regions),
      );
      const shared = serving.filter((key) => key.dedicatedTo === null).map((key) => key.candidate);
      const byTenant = new Map<string, KeyCandidate[]>();
      for (const key of serving) {
        for (const tenant of key.dedicatedTo ?? []) {
          const list = byTenant.get(tenant) ?? [];
          list.push(key.candidate);
          byTenant.set(tenant, list);
        }
      }
      for (const list of byTenant.values()) list.push(...shared);
      const pending = provider.keys.some(
        (key) => key.state === 'pending' && servesModel(key, model) && inRegions(key, regions),
      );
      plan = { shared, byTenant, pending };
      provider.plans.set(name, plan);
    }
    return plan;
  };

  const candidatesFor = (provider: ProviderState, demand: KeyDemand): readonly KeyCandidate[] => {
    const plan = planFor(provider, demand.model, demand.regions);
    return plan.byTenant.size === 0 ? plan.shared : (plan.byTenant.get(demand.tenantId) ?? plan.shared);
  };

  const reservesByActivity = planReserves(tierPlan);

  const reservesFor = (provider: ProviderState, now: number): readonly number[] => {
    let mask = 0;
    for (let index = 0; index < tierPlan.length; index++) {
      if (now - provider.lastSeen[index]! < activityWindowMs) mask |= 1 << index;
    }
    return reservesByActivity[mask]!;
  };

  const abortError = (signal: AbortSignal) =>
    Forge1Error.is(signal.reason) ? signal.reason : new AbortedError(undefined, { cause: signal.reason });

  const noKeys = (demand: KeyDemand) =>
    demand.regions !== undefined
      ? new NoKeyInRegionError(demand, demand.regions)
      : new NoCapacityError(`No key of provider "${demand.provider}" serves model "${demand.model}"`, {
          provider: demand.provider,
          model: demand.model,
          tenantId: demand.tenantId,
          retryable: false,
        });

  const finishRetire = (key: PoolKey) => {
    if (key.state !== 'draining' || key.inFlight > 0) return;
    key.state = 'retired';
    for (const resolve of key.drained.splice(0)) resolve();
  };

  const dropLease = (leaseId: string, state: LeaseState): boolean => {
    if (!leases.delete(leaseId)) return false;
    state.key.inFlight--;
    state.provider.inFlight--;
    finishRetire(state.key);
    return true;
  };

  const sweepLeases = (now: number) => {
    if (now < nextLeaseSweep) return;
    nextLeaseSweep = Number.POSITIVE_INFINITY;
    for (const [leaseId, state] of leases) {
      if (state.expiresAt <= now) dropLease(leaseId, state);
      else if (state.expiresAt < nextLeaseSweep) nextLeaseSweep = state.expiresAt;
    }
  };

  const learn = (key: PoolKey, provider: ProviderState, rateLimit: RateLimitInfo) => {
    let changed = false;
    if (
      rateLimit.limitRequests !== undefined &&
      rateLimit.limitRequests > 0 &&
      rateLimit.limitRequests < key.rpm
    ) {
      key.rpm = rateLimit.limitRequests;
      changed = true;
    }
    if (rateLimit.limitTokens !== undefined && rateLimit.limitTokens > 0 && rateLimit.limitTokens < key.tpm) {
      key.tpm = rateLimit.limitTokens;
      changed = true;
    }
    if (!changed) return;
    key.candidate = buildCandidate(key, groups);
    invalidate(provider);
    events.emit('key.learned', {
      keyId: key.config.id,
      provider: provider.name,
      rateLimit: { ...rateLimit },
    });
  };

  const backoff = (key: PoolKey, kind: string | undefined) => {
    const { baseMs, maxMs } = parsed.cooldown;
    if (kind === 'quota') return maxMs;
    const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(30, key.consecutiveRateLimits - 1));
    return Math.min(maxMs, Math.round(exponential * (0.75 + 0.5 * random())));
  };

  const scheduleWake = (provider: ProviderState, afterMs: number) => {
    if (closed || !Number.isFinite(afterMs) || provider.queue.size === 0) return;
    const at = clock.now() + Math.max(1, Math.ceil(afterMs));
    if (provider.wakeTimer !== undefined) {
      if (provider.wakeAt <= at) return;
      clock.clearTimeout(provider.wakeTimer);
    }
    provider.wakeAt = at;
    provider.wakeTimer = clock.setTimeout(() => {
      provider.wakeTimer = undefined;
      provider.wakeAt = Number.POSITIVE_INFINITY;
      pump(provider);
    }, at - clock.now());
  };

  const disable = (key: PoolKey, provider: ProviderState, reason: string) => {
    if (key.disabled) return;
    key.disabled = true;
    then(store.setDisabled(key.config.id, true), () => undefined);
    invalidate(provider);
    events.emit('key.disabled', { keyId: key.config.id, provider: provider.name, reason });
  };

  const onError = (key: PoolKey, provider: ProviderState, generation: number, error: unknown) => {
    if (error === undefined || error === null) {
      key.consecutiveRateLimits = 0;
      return;
    }
    if (Forge1Error.is(error, ErrorCode.rateLimited)) {
      key.rateLimited++;
      key.consecutiveRateLimits++;
      const kind = (error as { kind?: string }).kind;
      const forMs = error.retryAfterMs ?? backoff(key, kind);
      then(store.coolDown(key.config.id, forMs), (deadline) => {
        key.cooldownUntil = Math.max(key.cooldownUntil, deadline);
        provider.cooldowns++;
        events.emit('key.cooldown', {
          keyId: key.config.id,
          provider: provider.name,
          untilMs: key.cooldownUntil,
          reason: `rate-limited (${kind ?? 'unknown'})`,
        });
        scheduleWake(provider, key.cooldownUntil - clock.now());
      });
      return;
    }
    if (Forge1Error.is(error, ErrorCode.aborted)) return;
    key.errors++;
    // An auth error from a secret rotated away since the lease says nothing about the new one.
    if (Forge1Error.is(error, ErrorCode.auth) && generation === key.generation)
      disable(key, provider, 'auth');
  };

  const settleRequest = (
    leaseId: string,
    tokens: number | undefined,
    rateLimit: RateLimitInfo | undefined,
  ) => {
    const request: { leaseId: string; tokens?: number; remaining?: { requests?: number; tokens?: number } } =
      { leaseId };
    if (tokens !== undefined) request.tokens = tokens;
    if (rateLimit && (rateLimit.remainingRequests !== undefined || rateLimit.remainingTokens !== undefined)) {
      request.remaining = {};
      if (rateLimit.remainingRequests !== undefined) request.remaining.requests = rateLimit.remainingRequests;
      if (rateLimit.remainingTokens !== undefined) request.remaining.tokens = rateLimit.remainingTokens;
    }
    return request;
  };

  const settleLease = (
    leaseId: string,
    state: LeaseState,
    generation: number,
    outcome: LeaseOutcome | undefined,
  ) => {
    const { key, provider } = state;
    dropLease(leaseId, state);
    const usage = outcome?.usage;
    const tokens = usage ? usage.inputTokens + usage.outputTokens : undefined;
    if (tokens !== undefined) key.usage.add(clock.now(), 0, tokens - state.tokens);
    const rateLimit =
      outcome?.rateLimit ?? (outcome?.error as { rateLimit?: RateLimitInfo } | undefined)?.rateLimit;
    if (rateLimit) learn(key, provider, rateLimit);
    let settled: Awaitable<boolean>;
    try {
      settled = store.settle(settleRequest(leaseId, tokens, rateLimit));
    } catch {
      settled = false;
    }
    onError(key, provider, generation, outcome?.error);
    if (provider.queue.size > 0) then(settled, () => pump(provider));
  };

  const lend = (
    provider: ProviderState,
    demand: KeyDemand,
    keyId: string,
    leaseId: string,
    waitedMs: number,
    now: number,
  ): Lease => {
    const key = keysById.get(keyId)!;
    key.inFlight++;
    key.requests++;
    provider.inFlight++;
    key.usage.add(now, 1, demand.estTokens);
    provider.waits.add(waitedMs);
    const state: LeaseState = { key, provider, expiresAt: now + leaseTtlMs, tokens: demand.estTokens };
    leases.set(leaseId, state);
    if (state.expiresAt < nextLeaseSweep) nextLeaseSweep = state.expiresAt;
    const generation = key.generation;
    let released = false;
    return {
      keyId,
      provider: provider.name,
      secret: key.secret!,
      release(outcome) {
        if (released) return;
        released = true;
        settleLease(leaseId, state, generation, outcome);
      },
    };
  };

  const finish = (waiter: Waiter) => {
    waiter.done = true;
    if (waiter.timer !== undefined) clock.clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.demand.signal?.removeEventListener('abort', waiter.onAbort);
  };

  const noCapacity = (waiter: Waiter, message: string, retryable = true) => {
    const { demand } = waiter;
    const left = waiter.lastAt + waiter.lastRetryAfterMs - clock.now();
    return new NoCapacityError(message, {
      provider: demand.provider,
      model: demand.model,
      tenantId: demand.tenantId,
      retryable,
      ...(Number.isFinite(left) ? { retryAfterMs: Math.max(0, left) } : {}),
    });
  };

  /** Fails at once what no wait can serve: never (Infinity), or not before the deadline while nothing is in flight. */
  const failsFast = (waiter: Waiter, result: TakeResult & { ok: false }, now: number) =>
    now >= waiter.enqueuedAt + maxWaitMs ||
    (!result.waitsOnRelease &&
      (result.retryAfterMs === Number.POSITIVE_INFINITY ||
        (waiter.provider.inFlight === 0 && result.retryAfterMs > waiter.enqueuedAt + maxWaitMs - now)));

  /** Milliseconds until another tier goes idle and its reserve stops binding. */
  const reservesEndIn = (waiter: Waiter, now: number): number => {
    let ends = Number.POSITIVE_INFINITY;
    for (let index = 0; index < tierPlan.length; index++) {
      if (index === waiter.tierIndex) continue;
      const idleIn = waiter.provider.lastSeen[index]! + activityWindowMs - now;
      if (idleIn > 0 && idleIn < ends) ends = idleIn;
    }
    return Math.max(1, ends);
  };

  /** Records a refusal; fails the waiter when no wait can help. Returns the wait to schedule, or -1 when failed. */
  const refused = (
    waiter: Waiter,
    refusal: TakeResult & { ok: false },
    reserves: readonly number[],
    now: number,
  ): number => {
    let result = refusal;
    if (reserves.length > 0) {
      const ends = reservesEndIn(waiter, now);
      if (ends < result.retryAfterMs) result = { ...result, retryAfterMs: ends };
    }
    waiter.lastAt = result.at;
    waiter.lastRetryAfterMs = result.retryAfterMs;
    if (!failsFast(waiter, result, now)) return result.retryAfterMs;
    finish(waiter);
    const never = result.retryAfterMs === Number.POSITIVE_INFINITY && !result.waitsOnRelease;
    waiter.reject(
      noCapacity(
        waiter,
        never
          ? `No "${waiter.demand.provider}" key can ever take this request (disabled keys, or a demand above their limits)`
          : `No "${waiter.demand.provider}" key frees up within ${maxWaitMs} ms`,
        !never,
      ),
    );
    return -1;
  };

  /**
   * Grants queued requests in priority order. A request that cannot fit is passed over, and so
   * is any later one of its tier that would need as much from the same keys, so that a blocked
   * request never holds up others that fit.
   */
  async function runPump(provider: ProviderState): Promise<void> {
    do {
      provider.pumpAgain = false;
      let failures = 0;
      let wake = Number.POSITIVE_INFINITY;
      const passed: Waiter[] = [];
      const blocked: Array<{ candidates: readonly KeyCandidate[]; tier: number; tokens: number }> = [];
      for (
        let scanned = 0;
        provider.queue.size > 0 && failures < PUMP_TRIES && scanned < MAX_SCAN && !closed;
        scanned++
      ) {
        const waiter = provider.queue.pop()!;
        const now = clock.now();
        const candidates = candidatesFor(provider, waiter.demand);
        if (
          candidates.length === 0 &&
          planFor(provider, waiter.demand.model, waiter.demand.regions).pending
        ) {
          passed.push(waiter);
          continue;
        }
        if (candidates.length === 0) {
          finish(waiter);
          waiter.reject(noKeys(waiter.demand));
          continue;
        }
        const priorityClass = waiter.tierIndex;
        const reserves = reservesFor(provider, now);
        const tokens = waiter.demand.estTokens;
        if (
          blocked.some(
            (entry) =>
              entry.candidates === candidates && entry.tier === priorityClass && entry.tokens <= tokens,
          )
        ) {
          passed.push(waiter);
          continue;
        }
        const taken = store.take({
          candidates,
          tokens,
          priorityClass,
          reserves,
          leaseId: waiter.leaseId,
          leaseTtlMs,
        });
        const result = isThenable(taken) ? await taken : taken;
        if (waiter.done) {
          if (result.ok) then(store.settle({ leaseId: waiter.leaseId, tokens: 0 }), () => undefined);
          continue;
        }
        if (result.ok) {
          finish(waiter);
          waiter.resolve(
            lend(provider, waiter.demand, result.keyId, waiter.leaseId, now - waiter.enqueuedAt, now),
          );
          continue;
        }
        failures++;
        const retryAfterMs = refused(waiter, result, reserves, now);
        if (retryAfterMs < 0) continue;
        passed.push(waiter);
        blocked.push({ candidates, tier: priorityClass, tokens });
        if (retryAfterMs < wake) wake = retryAfterMs;
      }
      for (const waiter of passed) if (!waiter.done) provider.queue.push(waiter);
      scheduleWake(provider, wake);
    } while (provider.pumpAgain && !closed);
  }

  function pump(provider: ProviderState): void {
    if (provider.pumping) {
      provider.pumpAgain = true;
      return;
    }
    provider.pumping = true;
    const done = () => {
      provider.pumping = false;
      if (provider.pumpAgain && !closed) pump(provider);
    };
    runPump(provider).then(done, done);
  }

  const enqueue = (
    provider: ProviderState,
    demand: KeyDemand,
    index: number,
    leaseId: string,
    now: number,
    first: { result: TakeResult & { ok: false }; reserves: readonly number[] } | undefined,
  ): Promise<Lease> =>
    new Promise<Lease>((resolve, reject) => {
      const priority = tierPlan[index]!.priority;
      const waiter: Waiter = {
        score: priority - now * agingPerMs,
        sequence: sequence++,
        index: -1,
        demand,
        provider,
        tierIndex: index,
        priority,
        enqueuedAt: now,
        leaseId,
        timer: undefined,
        onAbort: undefined,
        resolve,
        reject,
        done: false,
        lastAt: now,
        lastRetryAfterMs: Number.POSITIVE_INFINITY,
      };
      const firstWait = first ? refused(waiter, first.result, first.reserves, now) : 0;
      if (firstWait < 0) return;
      provider.queue.push(waiter);
      waiter.timer = clock.setTimeout(() => {
        if (waiter.done) return;
        provider.queue.remove(waiter);
        finish(waiter);
        reject(
          noCapacity(waiter, `No "${demand.provider}" key could take the request within ${maxWaitMs} ms`),
        );
      }, maxWaitMs);
      const signal = demand.signal;
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.done) return;
          provider.queue.remove(waiter);
          finish(waiter);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (first) scheduleWake(provider, firstWait);
      else pump(provider);
    });

  const admit = (
    provider: ProviderState,
    demand: KeyDemand,
    index: number,
    leaseId: string,
    now: number,
    result: TakeResult,
    reserves: readonly number[],
  ): Promise<Lease> => {
    if (closed) {
      if (result.ok) then(store.settle({ leaseId, tokens: 0 }), () => undefined);
      return Promise.reject(new ClosedError('key pool'));
    }
    if (result.ok) return Promise.resolve(lend(provider, demand, result.keyId, leaseId, 0, now));
    return enqueue(provider, demand, index, leaseId, now, { result, reserves });
  };

  const acquire = (demand: KeyDemand): Promise<Lease> => {
    if (closed) return Promise.reject(new ClosedError('key pool'));
    const invalid = checkDemand(demand, tierIndex);
    if (invalid) return Promise.reject(invalid);
    if (demand.signal?.aborted) return Promise.reject(abortError(demand.signal));
    const provider = providers.get(demand.provider);
    const candidates = provider ? candidatesFor(provider, demand) : noCandidates;
    if (!provider) return Promise.reject(noKeys(demand));
    const waitsForSecret = candidates.length === 0 && planFor(provider, demand.model, demand.regions).pending;
    if (candidates.length === 0 && !waitsForSecret) return Promise.reject(noKeys(demand));
    const index = tierIndex.get(demand.tier)!;
    const now = clock.now();
    sweepLeases(now);
    provider.lastSeen[index] = now;
    const leaseId = leasePrefix + (++leaseCount).toString(36);
    if (provider.queue.size > 0 || waitsForSecret)
      return enqueue(provider, demand, index, leaseId, now, undefined);
    const reserves = reservesFor(provider, now);
    let taken: Awaitable<TakeResult>;
    try {
      taken = store.take({
        candidates,
        tokens: demand.estTokens,
        priorityClass: index,
        reserves,
        leaseId,
        leaseTtlMs,
      });
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(taken))
      return taken.then((result) => admit(provider, demand, index, leaseId, now, result, reserves));
    return admit(provider, demand, index, leaseId, now, taken, reserves);
  };

  const installSecret = (key: PoolKey, source: KeySecretSource, rotating: boolean): Promise<void> => {
    const apply = (value: unknown) => {
      if (!((typeof value === 'string' && value.length > 0) || value instanceof Secret)) {
        throw new ValidationError('key secret', [
          { path: key.config.id, message: 'the resolver returned no secret' },
        ]);
      }
      const provider = providerState(key.config.provider);
      key.secret = value instanceof Secret ? value : new Secret(value);
      key.generation++;
      if (key.state === 'pending') key.state = 'active';
      if (rotating && key.disabled) {
        key.disabled = false;
        then(store.setDisabled(key.config.id, false), () => undefined);
        events.emit('key.enabled', { keyId: key.config.id, provider: provider.name });
      }
      invalidate(provider);
      if (provider.queue.size > 0) pump(provider);
    };
    if (typeof source !== 'function') {
      apply(source);
      return Promise.resolve();
    }
    const resolution = Promise.resolve()
      .then(() => source())
      .then(apply)
      .catch((error: unknown) => {
        if (rotating)
          throw new ValidationError(
            'key secret',
            [{ path: key.config.id, message: 'the secret resolver failed' }],
            { cause: error },
          );
        disable(key, providerState(key.config.provider), 'secret-resolver-failed');
      });
    pending.add(resolution);
    resolution.then(
      () => pending.delete(resolution),
      () => pending.delete(resolution),
    );
    return resolution;
  };

  const addKey = (config: KeyConfig): Promise<void> => {
    const key = createPoolKey(config, groups);
    keysById.set(config.id, key);
    providerState(config.provider).keys.push(key);
    return installSecret(key, config.secret, false);
  };

  const requireKey = (keyId: string): PoolKey => {
    const key = keysById.get(keyId);
    if (!key) throw new ValidationError('key id', [{ path: 'keyId', message: `unknown key "${keyId}"` }]);
    return key;
  };

  const providerUtilisation = (provider: ProviderState, now: number): number =>
    meanUtilisation(provider.keys, now);

  const providerStats = (provider: ProviderState, now: number): ProviderStats => ({
    provider: provider.name,
    utilisation: providerUtilisation(provider, now),
    queueDepth: provider.queue.size,
    waits: provider.waits.summary(),
    cooling: provider.keys.filter((key) => key.cooldownUntil > now && key.state !== 'retired').length,
    cooldowns: provider.cooldowns,
  });

  const checkSignals = () => {
    if (parsed.signals === false || closed) return;
    const { windowMs, saturatedAbove, underusedBelow } = parsed.signals;
    const now = clock.now();
    for (const provider of providers.values()) {
      if (!provider.keys.some(isLendable)) continue;
      const utilisation = providerUtilisation(provider, now);
      const next =
        utilisation > saturatedAbove ? 'saturated' : utilisation < underusedBelow ? 'underused' : 'normal';
      if (next !== provider.signal && next !== 'normal') {
        events.emit(next === 'saturated' ? 'pool.saturated' : 'pool.underused', {
          provider: provider.name,
          utilisation,
          windowMs,
        });
      }
      provider.signal = next;
    }
    signalTimer = clock.setTimeout(checkSignals, windowMs, { background: true });
  };

  for (const config of configs) void addKey(config);
  const unwatch = store.watch?.((keyId) => {
    const key = keysById.get(keyId);
    const provider = key ? providers.get(key.config.provider) : undefined;
    if (provider && provider.queue.size > 0 && !closed) pump(provider);
  });
  if (parsed.signals !== false) {
    signalTimer = clock.setTimeout(checkSignals, parsed.signals.windowMs, { background: true });
  }

  const headroom = (name: string, regions?: readonly string[]): number => {
    const provider = providers.get(name);
    if (!provider) return 0;
    const now = clock.now();
    let capacity = 0;
    let free = 0;
    for (const key of provider.keys) {
      if (key.state === 'retired' || key.state === 'draining' || !inRegions(key, regions)) continue;
      capacity += key.rpm;
      if (key.state !== 'active' || key.disabled || key.cooldownUntil > now) continue;
      const maxConcurrent = key.config.maxConcurrent;
      if (maxConcurrent !== undefined && key.inFlight >= maxConcurrent) continue;
      free += (1 - key.usage.utilisation(now, key.rpm, key.tpm)) * key.rpm;
    }
    if (capacity === 0) return 0;
    free -= provider.queue.size;
    return free <= 0 ? 0 : Math.min(1, free / capacity);
  };

  return {
    specificationVersion: 'v1',
    events,
    acquire,
    headroom,
    stats(): PoolStats {
      const now = clock.now();
      sweepLeases(now);
      let queueDepth = 0;
      for (const provider of providers.values()) queueDepth += provider.queue.size;
      return {
        keys: [...keysById.values()].map((key) => keyStats(key, now)),
        queueDepth,
        providers: [...providers.values()].map((provider) => providerStats(provider, now)),
      };
    },
    async ready() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async add(input: KeyInput) {
      if (closed) throw new ClosedError('key pool');
      const [config] = parseKeys([input], {
        providers: knownProviders,
        groups,
        existing: new Set(keysById.keys()),
        path: 'key',
      });
      await addKey(config!);
    },
    async retire(keyId) {
      const key = requireKey(keyId);
      if (key.state === 'retired') return;
      key.state = 'draining';
      invalidate(providerState(key.config.provider));
      const drained = new Promise<void>((resolve) => key.drained.push(resolve));
      finishRetire(key);
      if (key.state === 'draining') {
        clock.setTimeout(() => sweepLeases(clock.now()), leaseTtlMs + 1);
      }
      return drained;
    },
    async rotate(keyId, secret) {
      const key = requireKey(keyId);
      await installSecret(key, secret, true);
    },
    async enable(keyId) {
      const key = requireKey(keyId);
      if (!key.disabled) return;
      key.disabled = false;
      await store.setDisabled(keyId, false);
      const provider = providerState(key.config.provider);
      invalidate(provider);
      events.emit('key.enabled', { keyId, provider: provider.name });
      if (provider.queue.size > 0) pump(provider);
    },
    async close() {
      if (closed) return;
      closed = true;
      unwatch?.();
      if (signalTimer !== undefined) clock.clearTimeout(signalTimer);
      for (const provider of providers.values()) {
        if (provider.wakeTimer !== undefined) clock.clearTimeout(provider.wakeTimer);
        for (const waiter of [...provider.queue.entries()]) {
          provider.queue.remove(waiter);
          finish(waiter);
          waiter.reject(new ClosedError('key pool'));
        }
      }
      if (ownStore) await store.close?.();
    },
  };
}
