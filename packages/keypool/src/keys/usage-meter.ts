const SLOTS = 12;
const none: readonly number[] = [];

/**
 * Requests and tokens of one key over its last window, in twelve slots, in total and per priority
 * class (tier): O(1) per call, for utilisation figures, tier-aware headroom and the saturation
 * signals (the store keeps the exact budgets).
 */
export class UsageMeter {
  private readonly requests = new Float64Array(SLOTS);
  private readonly tokens = new Float64Array(SLOTS);
  /** Per class: slot `class * SLOTS + slot`. */
  private readonly classRequests: Float64Array;
  private readonly classTokens: Float64Array;
  private readonly classes: number;
  private slot = 0;
  private readonly slotMs: number;

  constructor(windowMs: number, classes = 1) {
    this.slotMs = Math.max(1, windowMs / SLOTS);
    this.classes = Math.max(1, classes);
    this.classRequests = new Float64Array(SLOTS * this.classes);
    this.classTokens = new Float64Array(SLOTS * this.classes);
  }

  /** Counts requests and tokens (a negative delta reconciles an estimate) of `priorityClass`. */
  add(now: number, requests: number, tokens: number, priorityClass = 0): void {
    this.advance(now);
    const index = this.slot % SLOTS;
    this.requests[index] = this.requests[index]! + requests;
    this.tokens[index] = Math.max(0, this.tokens[index]! + tokens);
    const at = Math.min(this.classes - 1, Math.max(0, priorityClass)) * SLOTS + index;
    this.classRequests[at] = this.classRequests[at]! + requests;
    this.classTokens[at] = Math.max(0, this.classTokens[at]! + tokens);
  }

  /** Share of the binding budget used over the last window, 0..1. */
  utilisation(now: number, requestLimit: number, tokenLimit: number): number {
    this.advance(now);
    let requests = 0;
    let tokens = 0;
    for (let index = 0; index < SLOTS; index++) {
      requests += this.requests[index]!;
      tokens += this.tokens[index]!;
    }
    return Math.min(1, Math.max(requests / requestLimit, tokens / tokenLimit));
  }

  /**
   * Share of the binding budget that `priorityClass` may still use, 0..1: what is unused, less
   * what other classes have not used of their `reserves` (shares of the limit, by class), like
   * the store's admission rule. Without reserves (or with a class of -1), 1 − utilisation.
   */
  free(
    now: number,
    requestLimit: number,
    tokenLimit: number,
    reserves: readonly number[] = none,
    priorityClass = -1,
  ): number {
    if (reserves.length === 0 || priorityClass < 0)
      return 1 - this.utilisation(now, requestLimit, tokenLimit);
    this.advance(now);
    let heldRequests = 0;
    let heldTokens = 0;
    const classes = Math.min(this.classes, reserves.length);
    for (let index = 0; index < classes; index++) {
      const reserve = reserves[index]!;
      if (index === priorityClass || reserve <= 0) continue;
      let requests = 0;
      let tokens = 0;
      for (let slot = index * SLOTS, end = slot + SLOTS; slot < end; slot++) {
        requests += this.classRequests[slot]!;
        tokens += this.classTokens[slot]!;
      }
      heldRequests += Math.max(0, reserve - requests / requestLimit);
      heldTokens += Math.max(0, reserve - tokens / tokenLimit);
    }
    let requests = 0;
    let tokens = 0;
    for (let index = 0; index < SLOTS; index++) {
      requests += this.requests[index]!;
      tokens += this.tokens[index]!;
    }
    const free = Math.min(1 - requests / requestLimit - heldRequests, 1 - tokens / tokenLimit - heldTokens);
    return free <= 0 ? 0 : Math.min(1, free);
  }

  private advance(now: number): void {
    const slot = Math.floor(now / this.slotMs);
    if (slot <= this.slot) return;
    const stale = Math.min(SLOTS, slot - this.slot);
    for (let step = 1; step <= stale; step++) {
      const index = (this.slot + step) % SLOTS;
      this.requests[index] = 0;
      this.tokens[index] = 0;
      for (let at = index; at < this.classRequests.length; at += SLOTS) {
        this.classRequests[at] = 0;
        this.classTokens[at] = 0;
      }
    }
    this.slot = slot;
  }
}

/** The last `size` wait times, for percentiles, and how many acquisitions waited at all. */
export class WaitLog {
  private readonly values: Float64Array;
  private count = 0;
  private queued = 0;

  constructor(size = 1024) {
    this.values = new Float64Array(size);
  }

  add(ms: number): void {
    this.values[this.count % this.values.length] = ms;
    this.count++;
    if (ms > 0) this.queued++;
  }

  /** Count of waits recorded, how many were not 0, and the median and 95th percentile of the recent ones. */
  summary(): { count: number; queued: number; p50: number; p95: number } {
    const held = Math.min(this.count, this.values.length);
    if (held === 0) return { count: 0, queued: 0, p50: 0, p95: 0 };
    const sorted = Array.from(this.values.subarray(0, held)).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(held - 1, Math.floor(q * held))]!;
    return { count: this.count, queued: this.queued, p50: at(0.5), p95: at(0.95) };
  }
}
