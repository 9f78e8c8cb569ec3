/** Priority classes a window tells apart. */
export const MAX_CLASSES = 8;

/**
 * The grants of one bucket within its rolling window: a ring of (time, amount) entries and
 * their running sum. Entries are addressed by a sequence number so that a lease can correct
 * its own entry at release, as long as the entry is still inside the window.
 */
export class RollingWindow {
  private times = new Float64Array(16);
  private amounts = new Float64Array(16);
  private classes = new Uint8Array(16);
  /** Units granted within the window per priority class (0 is the highest). */
  readonly classSums = new Float64Array(MAX_CLASSES);
  private mask = 15;
  /** Sequence number of the oldest entry still held. */
  head = 0;
  /** Sequence number the next entry gets. */
  tail = 0;
  /** Units granted within the window. */
  sum = 0;
  /** Time of the oldest grant held, or Infinity: eviction has nothing to do before it leaves. */
  oldest = Number.POSITIVE_INFINITY;

  /** Drops the entries granted `windowMs` or more before `now`. */
  evict(now: number, windowMs: number): void {
    const horizon = now - windowMs;
    if (this.oldest > horizon) return;
    while (this.head < this.tail) {
      const slot = this.head & this.mask;
      if (this.times[slot]! > horizon) break;
      this.sum -= this.amounts[slot]!;
      this.classSums[this.classes[slot]!]! -= this.amounts[slot]!;
      this.head++;
    }
    if (this.head === this.tail) {
      this.sum = 0;
      this.classSums.fill(0);
      this.oldest = Number.POSITIVE_INFINITY;
    } else {
      this.oldest = this.times[this.head & this.mask]!;
    }
  }

  /** Records a grant; returns its sequence number. */
  push(at: number, amount: number, priorityClass = 0): number {
    if (this.tail - this.head > this.mask) this.grow();
    const slot = this.tail & this.mask;
    this.times[slot] = at;
    this.amounts[slot] = amount;
    this.classes[slot] = priorityClass;
    if (this.head === this.tail) this.oldest = at;
    this.sum += amount;
    this.classSums[priorityClass]! += amount;
    return this.tail++;
  }

  /** Adds `delta` to a grant still in the window; a grant already out of it is left alone. */
  adjust(sequence: number, delta: number): void {
    if (sequence < this.head || sequence >= this.tail) return;
    const slot = sequence & this.mask;
    const next = Math.max(0, this.amounts[slot]! + delta);
    this.sum += next - this.amounts[slot]!;
    this.classSums[this.classes[slot]!]! += next - this.amounts[slot]!;
    this.amounts[slot] = next;
  }

  /** Units this window must keep free for other classes: what they have not used of their reserves. */
  held(reserves: readonly number[], limit: number, priorityClass: number): number {
    let held = 0;
    for (let index = 0; index < reserves.length; index++) {
      if (index === priorityClass) continue;
      const unused = reserves[index]! * limit - this.classSums[index]!;
      if (unused > 0) held += unused;
    }
    return held;
  }

  /** Milliseconds from `now` until `cost` more units of `priorityClass` fit under `limit` and the reserves. */
  waitForRoom(
    cost: number,
    limit: number,
    reserves: readonly number[],
    priorityClass: number,
    now: number,
    windowMs: number,
  ): number {
    const sums = Float64Array.from(this.classSums);
    let sum = this.sum;
    const fits = () => {
      let held = 0;
      for (let index = 0; index < reserves.length; index++) {
        if (index !== priorityClass) held += Math.max(0, reserves[index]! * limit - sums[index]!);
      }
      return sum + cost <= limit - held + 1e-9;
    };
    if (fits()) return 0;
    for (let sequence = this.head; sequence < this.tail; sequence++) {
      const slot = sequence & this.mask;
      sum -= this.amounts[slot]!;
      sums[this.classes[slot]!]! -= this.amounts[slot]!;
      if (fits()) return Math.max(0, this.times[slot]! + windowMs - now);
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Milliseconds from `now` until at least `need` units have left the window. */
  waitFor(need: number, now: number, windowMs: number): number {
    let freed = 0;
    for (let sequence = this.head; sequence < this.tail; sequence++) {
      const slot = sequence & this.mask;
      freed += this.amounts[slot]!;
      if (freed >= need - 1e-9) return Math.max(0, this.times[slot]! + windowMs - now);
    }
    return Number.POSITIVE_INFINITY;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const times = new Float64Array(size);
    const amounts = new Float64Array(size);
    const classes = new Uint8Array(size);
    for (let sequence = this.head; sequence < this.tail; sequence++) {
      times[sequence & (size - 1)] = this.times[sequence & this.mask]!;
      amounts[sequence & (size - 1)] = this.amounts[sequence & this.mask]!;
      classes[sequence & (size - 1)] = this.classes[sequence & this.mask]!;
    }
    this.times = times;
    this.amounts = amounts;
    this.classes = classes;
    this.mask = size - 1;
  }
}
