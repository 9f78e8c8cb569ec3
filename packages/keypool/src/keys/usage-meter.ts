const SLOTS = 12;

/**
 * Requests and tokens of one key over its last window, in twelve slots: O(1) per call, for
 * utilisation figures and the saturation signals (the store keeps the exact budgets).
 */
export class UsageMeter {
  private readonly requests = new Float64Array(SLOTS);
  private readonly tokens = new Float64Array(SLOTS);
  private slot = 0;
  private readonly slotMs: number;

  constructor(windowMs: number) {
    this.slotMs = Math.max(1, windowMs / SLOTS);
  }

  add(now: number, requests: number, tokens: number): void {
    this.advance(now);
    const index = this.slot % SLOTS;
    this.requests[index] = this.requests[index]! + requests;
    this.tokens[index] = Math.max(0, this.tokens[index]! + tokens);
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

  private advance(now: number): void {
    const slot = Math.floor(now / this.slotMs);
    if (slot <= this.slot) return;
    const stale = Math.min(SLOTS, slot - this.slot);
    for (let step = 1; step <= stale; step++) {
      const index = (this.slot + step) % SLOTS;
      this.requests[index] = 0;
      this.tokens[index] = 0;
    }
    this.slot = slot;
  }
}

/** The last `size` wait times, for percentiles. */
export class WaitLog {
  private readonly values: Float64Array;
  private count = 0;

  constructor(size = 1024) {
    this.values = new Float64Array(size);
  }

  add(ms: number): void {
    this.values[this.count % this.values.length] = ms;
    this.count++;
  }

  /** Count of waits recorded, and the median and 95th percentile of the recent ones. */
  summary(): { count: number; p50: number; p95: number } {
    const held = Math.min(this.count, this.values.length);
    if (held === 0) return { count: 0, p50: 0, p95: 0 };
    const sorted = Array.from(this.values.subarray(0, held)).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(held - 1, Math.floor(q * held))]!;
    return { count: this.count, p50: at(0.5), p95: at(0.95) };
  }
}
