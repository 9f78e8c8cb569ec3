import type { Clock } from '@forge1/core';
import type {
  BucketSpec,
  KeyCandidate,
  SettleRequest,
  TakeRequest,
  TakeResult,
} from '../store/state-store.js';

/** How a Redis state store lends from local slices of a key's budget; see `RedisStateStoreOptions.slices`. */
export interface SliceSettings {
  /** Most requests one slice reserves. */
  readonly maxRequests: number;
  /** Longest time a slice lends for; shortened to a twentieth of the candidates' shortest window. */
  readonly lifetimeMs: number;
  /** A slice is reserved only while the key's window stays below this share of each limit, slice included. */
  readonly share: number;
}

/** The arguments of a slice request in the take script: id, requests wanted, lifetime, share. */
export type SliceAsk = readonly [string, number, number, number];

interface Slice {
  readonly id: string;
  readonly candidate: KeyCandidate;
  readonly priorityClass: number;
  /** Redis time the slice's entries count from (its end): the latest a local grant may happen. */
  readonly score: number;
  /** Local time after which nothing more is lent, from the moment the take was sent. */
  readonly closesAt: number;
  /** Units the slice's entry holds in Redis per bucket: reserved, then what was lent once given back. */
  readonly held: number[];
  /** Units lent per bucket: requests, and the leases' token estimates replaced by their actual tokens. */
  readonly used: number[];
  /** Redis time minus local time, when the slice was granted (for the `at` of local grants). */
  readonly offset: number;
  open: boolean;
  /** Given back once already (after that, only when no lease is in flight). */
  returnedOnce: boolean;
  inFlight: number;
  remaining?: { requests: number; tokens: number };
}

interface SliceLease {
  readonly slice: Slice;
  readonly tokens: number;
  readonly expiresAt: number;
}

const SLACK = 1e-9;

/** A slice's return in the take or give-back script: its entries go from what they hold to what was lent. */
const returnOf = (slice: Slice) => [
  slice.id,
  slice.candidate.keyId,
  slice.priorityClass,
  slice.score,
  slice.candidate.buckets.map((bucket, index) => [
    bucket.id,
    bucket.windowMs,
    slice.held[index],
    slice.used[index],
    bucket.limit,
    bucket.unit === 'tokens' ? 1 : 0,
  ]),
  slice.remaining?.requests ?? -1,
  slice.remaining?.tokens ?? -1,
];

/**
 * The slices of key budgets this process holds: lends from them without a Redis call, and
 * collects what they did not use for the next script call (or a return call of its own).
 */
export class SliceBook {
  private readonly slices = new Map<string, Slice>();
  private readonly leases = new Map<string, SliceLease>();
  /** Requests to ask for in the next slice, per priority class. */
  private readonly wanted = new Map<number, number>();
  private readonly returns: unknown[] = [];
  private sequence = 0;
  private flushTimer: unknown;

  private readonly settings: SliceSettings;
  private readonly clock: Clock;
  private readonly owner: string;
  private readonly flush: () => void;

  /** `flush` sends the pending returns when no take carries them soon. */
  constructor(settings: SliceSettings, clock: Clock, owner: string, flush: () => void) {
    this.settings = settings;
    this.clock = clock;
    this.owner = owner;
    this.flush = flush;
  }

  /** Lends from an open slice with room when one of the lowest-ranked candidates has it. */
  take(request: TakeRequest, priorityClass: number): TakeResult | undefined {
    if (this.slices.size === 0) return undefined;
    const now = this.clock.now();
    let lowest = Number.POSITIVE_INFINITY;
    for (const candidate of request.candidates) if (candidate.rank < lowest) lowest = candidate.rank;
    let best: Slice | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of request.candidates) {
      if (candidate.rank !== lowest) continue;
      const slice = this.slices.get(this.nameOf(candidate.keyId, priorityClass));
      if (!slice || slice.candidate !== candidate || !this.lendable(slice, now)) continue;
      let free = 1;
      for (let index = 0; index < candidate.buckets.length; index++) {
        const cost = candidate.buckets[index]!.unit === 'tokens' ? request.tokens : 1;
        const left = slice.held[index]! - slice.used[index]!;
        if (cost > left + SLACK) {
          free = -1;
          break;
        }
        const share = (left - cost) / slice.held[index]!;
        if (share < free) free = share;
      }
      if (free < 0) continue;
      if (free * candidate.weight > bestScore) {
        best = slice;
        bestScore = free * candidate.weight;
      }
    }
    if (!best) return undefined;
    best.candidate.buckets.forEach((bucket, index) => {
      best.used[index]! += bucket.unit === 'tokens' ? request.tokens : 1;
    });
    best.inFlight++;
    this.leases.set(request.leaseId, {
      slice: best,
      tokens: request.tokens,
      expiresAt: now + request.leaseTtlMs,
    });
    return { ok: true, keyId: best.candidate.keyId, at: now + best.offset };
  }

  /** Settles a lease lent from a slice; undefined when the lease is not one of them. */
  settle(request: SettleRequest): boolean | undefined {
    const lease = this.leases.get(request.leaseId);
    if (!lease) return undefined;
    this.leases.delete(request.leaseId);
    const { slice } = lease;
    slice.inFlight--;
    const now = this.clock.now();
    // Like a lease Redis forgot after its TTL: the estimate stands.
    if (lease.expiresAt <= now) {
      this.sync(slice);
      return false;
    }
    if (request.tokens !== undefined) {
      slice.candidate.buckets.forEach((bucket, index) => {
        if (bucket.unit === 'tokens') slice.used[index]! += Math.max(0, request.tokens!) - lease.tokens;
      });
    }
    const remaining = request.remaining;
    if (remaining) {
      slice.remaining = {
        requests: remaining.requests ?? slice.remaining?.requests ?? -1,
        tokens: remaining.tokens ?? slice.remaining?.tokens ?? -1,
      };
      // The provider sees the key busier than slices are allowed to go: back to per-request calls.
      if (slice.candidate.buckets.some((bucket) => this.pastShare(bucket, slice.remaining!)))
        this.close(slice);
    }
    this.sync(slice);
    return true;
  }

  /** The slice to ask for with a take that goes to Redis, or undefined when no candidate may have one. */
  ask(request: TakeRequest, priorityClass: number): SliceAsk | undefined {
    let shortest = Number.POSITIVE_INFINITY;
    let eligible = false;
    for (const candidate of request.candidates) {
      if (candidate.maxConcurrent === 0) eligible = true;
      for (const bucket of candidate.buckets) if (bucket.windowMs < shortest) shortest = bucket.windowMs;
    }
    const lifetime = Math.min(this.settings.lifetimeMs, Math.floor(shortest / 20));
    if (!eligible || lifetime < 1) return undefined;
    const id = `${this.owner}.${(++this.sequence).toString(36)}`;
    const want = this.wanted.get(priorityClass) ?? 4;
    return [id, Math.min(want, this.settings.maxRequests), lifetime, this.settings.share];
  }

  /**
   * Records a slice of `requests` the take script granted along with a lease on `candidate`;
   * `sentAt` is the local time the take was sent, `at` the script's time.
   */
  granted(
    ask: SliceAsk,
    candidate: KeyCandidate,
    priorityClass: number,
    tokens: number,
    requests: number,
    at: number,
    sentAt: number,
  ): void {
    const name = this.nameOf(candidate.keyId, priorityClass);
    const previous = this.slices.get(name);
    if (previous) this.close(previous);
    const now = this.clock.now();
    // Leases the pool dropped after their TTL without settling them: their estimates stand.
    for (const [leaseId, lease] of this.leases) {
      if (lease.expiresAt > now) continue;
      this.leases.delete(leaseId);
      lease.slice.inFlight--;
      this.sync(lease.slice);
    }
    const slice: Slice = {
      id: ask[0],
      candidate,
      priorityClass,
      score: at + ask[2],
      closesAt: sentAt + ask[2],
      held: candidate.buckets.map((bucket) => (bucket.unit === 'tokens' ? requests * tokens : requests)),
      used: candidate.buckets.map(() => 0),
      offset: at - now,
      open: true,
      returnedOnce: false,
      inFlight: 0,
    };
    this.slices.set(name, slice);
    this.clock.setTimeout(() => this.close(slice), Math.max(1, slice.closesAt - now), { background: true });
  }

  /** Whether an open slice of this class may lend. */
  lends(priorityClass: number): boolean {
    const now = this.clock.now();
    for (const slice of this.slices.values())
      if (slice.priorityClass === priorityClass && this.lendable(slice, now)) return true;
    return false;
  }

  /** Stops lending from every slice, e.g. before the store closes. */
  closeAll(): void {
    for (const slice of [...this.slices.values()]) this.close(slice);
  }

  /** Stops lending from every slice of a key (cooled down, disabled). */
  closeKey(keyId: string): void {
    for (const slice of this.slices.values()) if (slice.candidate.keyId === keyId) this.close(slice);
  }

  /** Takes the returns due, as the JSON a script call carries ('' for none). A failed call loses them: the capacity then stays counted until the entries leave the window. */
  drainReturns(): string {
    if (this.returns.length === 0) return '';
    return JSON.stringify(this.returns.splice(0));
  }

  /** What this process holds in a bucket through open slices and has not lent yet (Redis counts it as used). */
  unused(bucket: BucketSpec): number {
    let total = 0;
    for (const slice of this.slices.values()) {
      const index = slice.candidate.buckets.findIndex((entry) => entry.id === bucket.id);
      if (index >= 0) total += Math.max(0, slice.held[index]! - slice.used[index]!);
    }
    return total;
  }

  /** Sliced leases of this process in flight on a key. */
  inFlight(keyId: string): number {
    let count = 0;
    for (const slice of this.slices.values()) if (slice.candidate.keyId === keyId) count += slice.inFlight;
    return count;
  }

  private nameOf(keyId: string, priorityClass: number) {
    return `${priorityClass}\u0000${keyId}`;
  }

  private lendable(slice: Slice, now: number): boolean {
    if (slice.open && now >= slice.closesAt) this.close(slice);
    return slice.open;
  }

  private pastShare(bucket: BucketSpec, remaining: { requests: number; tokens: number }): boolean {
    const left = bucket.unit === 'tokens' ? remaining.tokens : remaining.requests;
    return left >= 0 && bucket.windowMs <= 60_000 && left < (1 - this.settings.share) * bucket.limit;
  }

  private close(slice: Slice): void {
    if (!slice.open) return;
    slice.open = false;
    const name = this.nameOf(slice.candidate.keyId, slice.priorityClass);
    if (this.slices.get(name) === slice) this.slices.delete(name);
    // A slice used up before its end asks for twice as much next time; one mostly unused, half.
    let used = 0;
    slice.held.forEach((held, index) => {
      if (held > 0) used = Math.max(used, slice.used[index]! / held);
    });
    const want = this.wanted.get(slice.priorityClass) ?? 4;
    if (used >= 0.9 && this.clock.now() < slice.closesAt) {
      this.wanted.set(slice.priorityClass, Math.min(this.settings.maxRequests, want * 2));
    } else if (used < 0.5) this.wanted.set(slice.priorityClass, Math.max(2, Math.floor(want / 2)));
    this.sync(slice);
  }

  /**
   * Once a slice is closed, gives back what it holds beyond what it lent: at once for what it
   * never lent, and again when its leases in flight have all settled with other token counts.
   */
  private sync(slice: Slice): void {
    if (slice.open || (slice.inFlight > 0 && slice.returnedOnce)) return;
    slice.returnedOnce = true;
    if (slice.held.every((held, index) => held === slice.used[index])) return;
    this.returns.push(returnOf(slice));
    slice.held.forEach((_, index) => {
      slice.held[index] = slice.used[index]!;
    });
    if (this.flushTimer === undefined) {
      this.flushTimer = this.clock.setTimeout(
        () => {
          this.flushTimer = undefined;
          if (this.returns.length > 0) this.flush();
        },
        20,
        { background: true },
      );
    }
  }
}
