// A tenant's learned weights of hashed n-gram slots and AdaGrad's squared-gradient sums, in typed
// arrays with open addressing: a Map boxed every double it stored and was most of an update's time.

const empty = 0;
const hasWeight = 1;
const hasSquare = 2;
const occupied = 0x80;

/** Weights and squared-gradient sums by slot (a non-negative integer); absent ones read as 0. */
export class SlotWeights {
  private keys = new Float64Array(64);
  private weights = new Float64Array(64);
  private squares = new Float64Array(64);
  // Which of the two values each entry holds (an exported state may hold one without the other).
  private held = new Uint8Array(64);
  private used = 0;

  /** The weight of a slot, 0 when it has none. */
  weight(slot: number): number {
    const at = this.find(slot);
    return at < 0 ? 0 : this.weights[at]!;
  }

  /** The entry of a slot whose weight and sum are both about to be written (made at 0 when absent). */
  entry(slot: number): number {
    let at = this.find(slot);
    if (at >= 0) {
      this.held[at]! |= hasWeight | hasSquare;
      return at;
    }
    if (2 * (this.used + 1) > this.keys.length) this.grow();
    at = this.start(slot);
    while (this.held[at] !== empty) at = (at + 1) & (this.keys.length - 1);
    this.keys[at] = slot;
    this.weights[at] = 0;
    this.squares[at] = 0;
    this.held[at] = occupied | hasWeight | hasSquare;
    this.used++;
    return at;
  }

  /** The weight at an entry. */
  weightAt(at: number): number {
    return this.weights[at]!;
  }
  /** The squared-gradient sum at an entry. */
  squareAt(at: number): number {
    return this.squares[at]!;
  }
  setWeightAt(at: number, value: number): void {
    this.weights[at] = value;
  }
  setSquareAt(at: number, value: number): void {
    this.squares[at] = value;
  }

  /**
   * Sets a slot's weight (`square` false) or squared-gradient sum, marking only that one as held.
   * NaN, negative or infinite numbers are no slot and are skipped (a store field no learner wrote).
   */
  set(slot: number, value: number, square: boolean): void {
    if (!(slot >= 0 && slot < Number.POSITIVE_INFINITY)) return;
    const known = this.find(slot) >= 0;
    const at = this.entry(slot);
    if (!known) this.held[at] = occupied;
    this.held[at]! |= square ? hasSquare : hasWeight;
    if (square) this.squares[at] = value;
    else this.weights[at] = value;
  }

  /** The held weights (`square` false) or squared-gradient sums by slot, as JSON-ready data. */
  record(square: boolean): Record<string, number> {
    const out: Record<string, number> = {};
    const flag = square ? hasSquare : hasWeight;
    for (let at = 0; at < this.keys.length; at++) {
      if ((this.held[at]! & flag) === 0) continue;
      out[String(this.keys[at])] = square ? this.squares[at]! : this.weights[at]!;
    }
    return out;
  }

  /** Fills a table from exported records. */
  static from(weights: Record<string, number>, squares: Record<string, number> | undefined): SlotWeights {
    const table = new SlotWeights();
    for (const [slot, value] of Object.entries(weights)) table.set(Number(slot), value, false);
    if (squares) for (const [slot, value] of Object.entries(squares)) table.set(Number(slot), value, true);
    return table;
  }

  private start(slot: number): number {
    const mask = this.keys.length - 1;
    return slot <= 0x7fffffff ? slot & mask : Math.floor(slot % this.keys.length) & mask;
  }

  private find(slot: number): number {
    const mask = this.keys.length - 1;
    for (let at = this.start(slot); this.held[at] !== empty; at = (at + 1) & mask)
      if (this.keys[at] === slot) return at;
    return -1;
  }

  private grow(): void {
    const { keys, weights, squares, held } = this;
    const size = keys.length * 2;
    this.keys = new Float64Array(size);
    this.weights = new Float64Array(size);
    this.squares = new Float64Array(size);
    this.held = new Uint8Array(size);
    for (let from = 0; from < keys.length; from++) {
      if (held[from] === empty) continue;
      let at = this.start(keys[from]!);
      while (this.held[at] !== empty) at = (at + 1) & (size - 1);
      this.keys[at] = keys[from]!;
      this.weights[at] = weights[from]!;
      this.squares[at] = squares[from]!;
      this.held[at] = held[from]!;
    }
  }
}
