/**
 * The grants of one bucket within its rolling window: a ring of (time, amount) entries and
 * their running sum. Entries are addressed by a sequence number so that a lease can correct
 * its own entry at release, as long as the entry is still inside the window.
 */
export class RollingWindow {
  private times = new Float64Array(16);
  private amounts = new Float64Array(16);
  private mask = 15;
  /** Sequence number of the oldest entry still held. */
  head = 0;
  /** Sequence number the next entry gets. */
  tail = 0;
  /** Units granted within the window. */
  sum = 0;

  /** Drops the entries granted `windowMs` or more before `now`. */
  evict(now: number, windowMs: number): void {
    const horizon = now - windowMs;
    while (this.head < this.tail) {
      const slot = this.head & this.mask;
      if (this.times[slot]! > horizon) break;
      this.sum -= this.amounts[slot]!;
      this.head++;
    }
    if (this.head === this.tail) this.sum = 0;
  }

  /** Records a grant; returns its sequence number. */
  push(at: number, amount: number): number {
    if (this.tail - this.head > this.mask) this.grow();
    const slot = this.tail & this.mask;
    this.times[slot] = at;
    this.amounts[slot] = amount;
    this.sum += amount;
    return this.tail++;
  }

  /** Adds `delta` to a grant still in the window; a grant already out of it is left alone. */
  adjust(sequence: number, delta: number): void {
    if (sequence < this.head || sequence >= this.tail) return;
    const slot = sequence & this.mask;
    const next = Math.max(0, this.amounts[slot]! + delta);
    this.sum += next - this.amounts[slot]!;
    this.amounts[slot] = next;
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
    for (let sequence = this.head; sequence < this.tail; sequence++) {
      times[sequence & (size - 1)] = this.times[sequence & this.mask]!;
      amounts[sequence & (size - 1)] = this.amounts[sequence & this.mask]!;
    }
    this.times = times;
    this.amounts = amounts;
    this.mask = size - 1;
  }
}
