import { describe, expect, it } from 'vitest';
import { sleep } from '../clock.js';
import { createFakeClock } from './index.js';

describe('createFakeClock', () => {
  it('fires timers in order as time advances, and only when due', async () => {
    const clock = createFakeClock(1_000);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 50);
    clock.setTimeout(() => fired.push(clock.now()), 10);
    const cancelled = clock.setTimeout(() => fired.push(-1), 20);
    clock.clearTimeout(cancelled);
    await clock.advance(30);
    expect(fired).toEqual([1_010]);
    await clock.advance(30);
    expect(fired).toEqual([1_010, 1_050]);
    expect(clock.now()).toBe(1_060);
    expect(clock.pending()).toBe(0);
  });

  it('drives sleep() and lets an abort cancel it', async () => {
    const clock = createFakeClock();
    let woke = false;
    const slept = sleep(100, { clock }).then(() => {
      woke = true;
    });
    await clock.advance(99);
    expect(woke).toBe(false);
    await clock.advance(1);
    await slept;
    expect(woke).toBe(true);
    const controller = new AbortController();
    const aborted = sleep(100, { clock, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
  });

  it('runs every pending timer with runAll', async () => {
    const clock = createFakeClock(0);
    let count = 0;
    clock.setTimeout(() => {
      count++;
      clock.setTimeout(() => count++, 500);
    }, 100);
    await clock.runAll();
    expect(count).toBe(2);
    expect(clock.now()).toBe(600);
  });
});
