/** What the queue needs of an entry: a fixed score (higher first), a sequence (lower first) and its slot. */
export interface QueueEntry {
  /** Priority minus the aging credit of the enqueue time: time-invariant, so the heap never reorders. */
  readonly score: number;
  readonly sequence: number;
  /** Position in the heap; -1 once out of it. */
  index: number;
}

const before = (a: QueueEntry, b: QueueEntry) =>
  a.score > b.score || (a.score === b.score && a.sequence < b.sequence);

/**
 * A binary heap of waiters: highest score first, FIFO among equal scores, removal of any
 * entry in O(log n) (for aborts and timeouts).
 */
export class WaiterQueue<T extends QueueEntry> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: T): void {
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const top = this.heap[0];
    if (top) this.remove(top);
    return top;
  }

  /** Removes an entry; false when it was not queued. */
  remove(entry: T): boolean {
    const index = entry.index;
    if (index < 0 || this.heap[index] !== entry) return false;
    const last = this.heap.pop()!;
    entry.index = -1;
    if (last !== entry) {
      this.heap[index] = last;
      last.index = index;
      this.down(index);
      this.up(last.index);
    }
    return true;
  }

  /** Every entry, in no particular order. */
  entries(): readonly T[] {
    return this.heap;
  }

  private up(start: number): void {
    let index = start;
    const entry = this.heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.heap[parentIndex]!;
      if (!before(entry, parent)) break;
      this.heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    this.heap[index] = entry;
    entry.index = index;
  }

  private down(start: number): void {
    let index = start;
    const length = this.heap.length;
    const entry = this.heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(this.heap[right]!, this.heap[left]!) ? right : left;
      if (!before(this.heap[child]!, entry)) break;
      this.heap[index] = this.heap[child]!;
      this.heap[index]!.index = index;
      index = child;
    }
    this.heap[index] = entry;
    entry.index = index;
  }
}
