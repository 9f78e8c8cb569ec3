import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingWindow } from './rolling-window.js';

describe('RollingWindow', () => {
  it('keeps the sum of the grants inside the window, per class too, whatever the sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.nat(2_000), amount: fc.nat(1_000), priorityClass: fc.nat(2) }), {
          maxLength: 200,
        }),
        (grants) => {
          const window = new RollingWindow();
          let now = 0;
          const seen: Array<{ at: number; amount: number; priorityClass: number }> = [];
          for (const grant of grants) {
            now += grant.gap;
            window.evict(now, 5_000);
            window.push(now, grant.amount, grant.priorityClass);
            seen.push({ at: now, amount: grant.amount, priorityClass: grant.priorityClass });
            const inside = seen.filter((entry) => entry.at > now - 5_000);
            expect(window.sum).toBeCloseTo(
              inside.reduce((sum, entry) => sum + entry.amount, 0),
              6,
            );
            expect(window.classSums[1]).toBeCloseTo(
              inside
                .filter((entry) => entry.priorityClass === 1)
                .reduce((sum, entry) => sum + entry.amount, 0),
              6,
            );
          }
        },
      ),
    );
  });

  it('corrects a grant still in the window and ignores one that has left it', () => {
    const window = new RollingWindow();
    const first = window.push(0, 100);
    const second = window.push(1_000, 50);
    window.adjust(second, -30);
    expect(window.sum).toBe(120);
    window.evict(60_000, 60_000);
    window.adjust(first, 500);
    expect(window.sum).toBe(20);
  });

  it('says when enough has left the window for a cost to fit beside held reserves', () => {
    const window = new RollingWindow();
    window.push(0, 4, 0);
    window.push(10, 4, 1);
    // Limit 10, class 0 guaranteed 6 of which 4 used: 2 held, 8 used, no room for class 1. When class
    // 0's grant leaves, all 6 are held again beside class 1's 4: room only once that one leaves too.
    expect(window.waitForRoom(1, 10, [0.6, 0], 1, 20, 1_000)).toBe(990);
    expect(window.waitForRoom(3, 10, [0.6, 0], 0, 20, 1_000)).toBe(980);
    expect(window.waitForRoom(20, 10, [], 1, 20, 1_000)).toBe(Number.POSITIVE_INFINITY);
  });
});
