import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type QueueEntry, WaiterQueue } from './waiter-queue.js';

const entry = (score: number, sequence: number): QueueEntry & { name: string } => ({
  score,
  sequence,
  index: -1,
  name: `${score}/${sequence}`,
});

describe('WaiterQueue', () => {
  it('pops by score, then first in first out, after any removals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 100 }),
        (items) => {
          const queue = new WaiterQueue<ReturnType<typeof entry>>();
          const entries = items.map(([score], sequence) => entry(score, sequence));
          for (const item of entries) queue.push(item);
          entries.forEach((item, index) => {
            if (items[index]![1]) expect(queue.remove(item)).toBe(true);
          });
          const expected = entries
            .filter((_, index) => !items[index]![1])
            .sort((a, b) => b.score - a.score || a.sequence - b.sequence)
            .map((item) => item.name);
          const popped: string[] = [];
          while (queue.size > 0) popped.push(queue.pop()!.name);
          expect(popped).toEqual(expected);
        },
      ),
    );
  });

  it('refuses to remove an entry twice', () => {
    const queue = new WaiterQueue<QueueEntry>();
    const item = entry(1, 0);
    queue.push(item);
    expect(queue.remove(item)).toBe(true);
    expect(queue.remove(item)).toBe(false);
    expect(queue.peek()).toBeUndefined();
  });
});
