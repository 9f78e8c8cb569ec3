import { type Clock, expectNumber, expectString, readOptions, systemClock } from '@forge1/core';
import { MAX_CLASSES, RollingWindow } from './rolling-window.js';
import type {
  BucketSpec,
  KeyCandidate,
  KeyState,
  SettleRequest,
  StateStoreV1,
  TakeRequest,
  TakeResult,
} from './state-store.js';
import { checkBucket, checkFlag, checkSettle, checkTake } from './state-store-input.js';

/** Options of {@link createMemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** Time source of the store. @default systemClock */
  clock?: Clock;
}

interface KeyRecord {
  disabled: boolean;
  cooldownUntil: number;
  inFlight: number;
}

interface LeaseRecord {
  id: string;
  key: KeyRecord;
  specs: readonly BucketSpec[];
  windows: RollingWindow[];
  sequences: number[];
  tokens: number;
  expiresAt: number;
}

/** A candidate with its state looked up once and its bucket figures flattened for the scan. */
interface ResolvedCandidate {
  candidate: KeyCandidate;
  key: KeyRecord;
  windows: RollingWindow[];
  rank: number;
  weight: number;
  shared: boolean;
  maxConcurrent: number;
  /** Per bucket, four numbers: limit, 1 / limit, window length, 1 for a token bucket (else 0). */
  specs: Float64Array;
}

const SLACK = 1e-9;
const noReserves: readonly number[] = [];
const classOf = (request: TakeRequest) =>
  Math.min(MAX_CLASSES - 1, Math.max(0, Math.trunc(request.priorityClass) || 0));

/**
 * The in-memory {@link StateStoreV1}: one process, no I/O, answers synchronously. The default
 * store of `createKeyPool`.
 * @example
 * ```ts
 * const store = createMemoryStateStore({ clock });
 * const pool = createKeyPool({ keys, store, clock });
 * ```
 */
export function createMemoryStateStore(input: MemoryStateStoreOptions = {}): StateStoreV1 {
  const options = readOptions(input, 'createMemoryStateStore');
  const clock = options.clock ?? systemClock;
  const keys = new Map<string, KeyRecord>();
  const windows = new Map<string, RollingWindow>();
  const leases = new Map<string, LeaseRecord>();
  const resolved = new WeakMap<readonly KeyCandidate[], ResolvedCandidate[]>();
  let nextSweepAt = Number.POSITIVE_INFINITY;

  const keyRecord = (keyId: string): KeyRecord => {
    let record = keys.get(keyId);
    if (!record) {
      record = { disabled: false, cooldownUntil: 0, inFlight: 0 };
      keys.set(keyId, record);
    }
    return record;
  };

  const windowOf = (id: string): RollingWindow => {
    let window = windows.get(id);
    if (!window) {
      window = new RollingWindow();
      windows.set(id, window);
    }
    return window;
  };

  const resolve = (candidates: readonly KeyCandidate[]): ResolvedCandidate[] => {
    let list = resolved.get(candidates);
    if (!list) {
      list = candidates.map((candidate) => ({
        candidate,
        key: keyRecord(candidate.keyId),
        windows: candidate.buckets.map((bucket) => windowOf(bucket.id)),
        rank: candidate.rank,
        weight: candidate.weight,
        shared: candidate.shared,
        maxConcurrent: candidate.maxConcurrent,
        specs: Float64Array.from(
          candidate.buckets.flatMap((bucket) => [
            bucket.limit,
            1 / bucket.limit,
            bucket.windowMs,
            bucket.unit === 'tokens' ? 1 : 0,
          ]),
        ),
      }));
      resolved.set(candidates, list);
    }
    return list;
  };

  const forget = (lease: LeaseRecord) => {
    leases.delete(lease.id);
    lease.key.inFlight--;
  };

  const sweep = (now: number) => {
    if (now < nextSweepAt) return;
    nextSweepAt = Number.POSITIVE_INFINITY;
    for (const lease of leases.values()) {
      if (lease.expiresAt <= now) forget(lease);
      else if (lease.expiresAt < nextSweepAt) nextSweepAt = lease.expiresAt;
    }
  };

  const waitOf = (
    entry: ResolvedCandidate,
    request: TakeRequest,
    now: number,
  ): { wait: number; release: boolean } => {
    const { candidate, key } = entry;
    if (key.disabled) return { wait: Number.POSITIVE_INFINITY, release: false };
    let wait = Math.max(0, key.cooldownUntil - now);
    let release = false;
    if (candidate.maxConcurrent > 0 && key.inFlight >= candidate.maxConcurrent) {
      release = true;
      let earliest = Number.POSITIVE_INFINITY;
      for (const lease of leases.values())
        if (lease.key === key && lease.expiresAt < earliest) earliest = lease.expiresAt;
      wait = Math.max(wait, earliest - now);
    }
    for (let index = 0; index < candidate.buckets.length; index++) {
      const spec = candidate.buckets[index]!;
      const window = entry.windows[index]!;
      window.evict(now, spec.windowMs);
      const cost = spec.unit === 'tokens' ? request.tokens : 1;
      if (cost > spec.limit + SLACK) return { wait: Number.POSITIVE_INFINITY, release: false };
      const reserves = candidate.shared ? request.reserves : noReserves;
      const priorityClass = classOf(request);
      const room = window.waitForRoom(cost, spec.limit, reserves, priorityClass, now, spec.windowMs);
      if (room > wait) wait = room;
    }
    return { wait, release };
  };

  const refuse = (list: ResolvedCandidate[], request: TakeRequest, now: number): TakeResult => {
    let retryAfterMs = Number.POSITIVE_INFINITY;
    let waitsOnRelease = false;
    for (const entry of list) {
      const { wait, release } = waitOf(entry, request, now);
      if (wait < retryAfterMs) retryAfterMs = wait;
      if (release) waitsOnRelease = true;
    }
    return { ok: false, at: now, retryAfterMs, waitsOnRelease };
  };

  const take = (request: TakeRequest): TakeResult => {
    checkTake(request, 'stateStore.take');
    const now = clock.now();
    sweep(now);
    const list = resolve(request.candidates);
    let best: ResolvedCandidate | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    let bestScore = Number.NEGATIVE_INFINITY;
    const { tokens, reserves } = request;
    const priorityClass = classOf(request);
    const reserving = reserves.length > 0;
    for (let index = 0; index < list.length; index++) {
      const entry = list[index]!;
      if (entry.rank > bestRank) continue;
      const key = entry.key;
      if (key.disabled || key.cooldownUntil > now) continue;
      if (entry.maxConcurrent > 0 && key.inFlight >= entry.maxConcurrent) continue;
      const holds = reserving && entry.shared;
      const { windows, specs } = entry;
      let headroom = 1;
      let fits = true;
      for (let bucket = 0; bucket < windows.length; bucket++) {
        const window = windows[bucket]!;
        const at = bucket * 4;
        if (window.oldest <= now - specs[at + 2]!) window.evict(now, specs[at + 2]!);
        const limit = specs[at]!;
        const sum = window.sum;
        const cost = specs[at + 3] === 1 ? tokens : 1;
        const held = holds ? window.held(reserves, limit, priorityClass) : 0;
        if (sum + cost > limit - held + SLACK) {
          fits = false;
          break;
        }
        const free = (limit - sum) * specs[at + 1]!;
        if (free < headroom) headroom = free;
      }
      if (!fits) continue;
      const score = headroom * entry.weight;
      if (entry.rank < bestRank || score > bestScore) {
        best = entry;
        bestRank = entry.rank;
        bestScore = score;
      }
    }
    if (!best) return refuse(list, request, now);
    const specs = best.candidate.buckets;
    const sequences: number[] = new Array(specs.length);
    for (let bucket = 0; bucket < specs.length; bucket++) {
      sequences[bucket] = best.windows[bucket]!.push(
        now,
        best.specs[bucket * 4 + 3] === 1 ? tokens : 1,
        priorityClass,
      );
    }
    const lease: LeaseRecord = {
      id: request.leaseId,
      key: best.key,
      specs,
      windows: best.windows,
      sequences,
      tokens,
      expiresAt: now + request.leaseTtlMs,
    };
    leases.set(lease.id, lease);
    best.key.inFlight++;
    if (lease.expiresAt < nextSweepAt) nextSweepAt = lease.expiresAt;
    return { ok: true, keyId: best.candidate.keyId, at: now };
  };

  const settle = (request: SettleRequest): boolean => {
    checkSettle(request, 'stateStore.settle');
    const now = clock.now();
    sweep(now);
    const lease = leases.get(request.leaseId);
    if (!lease) return false;
    forget(lease);
    const delta = request.tokens === undefined ? 0 : request.tokens - lease.tokens;
    for (let bucket = 0; bucket < lease.specs.length; bucket++) {
      const spec = lease.specs[bucket]!;
      const window = lease.windows[bucket]!;
      if (delta !== 0 && spec.unit === 'tokens') window.adjust(lease.sequences[bucket]!, delta);
      const remaining = spec.unit === 'tokens' ? request.remaining?.tokens : request.remaining?.requests;
      if (remaining === undefined || spec.windowMs > 60_000) continue;
      window.evict(now, spec.windowMs);
      const phantom = spec.limit - window.sum - remaining;
      if (phantom > 0) window.push(now, phantom, 0);
    }
    return true;
  };

  return {
    specificationVersion: 'v1',
    now: () => clock.now(),
    take,
    settle,
    coolDown(keyId, forMs) {
      expectString(keyId, 'stateStore.coolDown', 'keyId');
      expectNumber(forMs, 'stateStore.coolDown', 'forMs');
      const record = keyRecord(keyId);
      record.cooldownUntil = Math.max(record.cooldownUntil, clock.now() + Math.max(0, forMs));
      return record.cooldownUntil;
    },
    setDisabled(keyId, disabled) {
      expectString(keyId, 'stateStore.setDisabled', 'keyId');
      checkFlag(disabled, 'stateStore.setDisabled');
      keyRecord(keyId).disabled = disabled;
    },
    keyState(keyId): KeyState {
      expectString(keyId, 'stateStore.keyState', 'keyId');
      const now = clock.now();
      sweep(now);
      const record = keys.get(keyId);
      if (!record) return { disabled: false, cooldownUntil: 0, inFlight: 0 };
      return {
        disabled: record.disabled,
        cooldownUntil: record.cooldownUntil > now ? record.cooldownUntil : 0,
        inFlight: record.inFlight,
      };
    },
    used(bucket) {
      checkBucket(bucket, 'stateStore.used');
      const window = windows.get(bucket.id);
      if (!window) return 0;
      window.evict(clock.now(), bucket.windowMs);
      return window.sum;
    },
  };
}
