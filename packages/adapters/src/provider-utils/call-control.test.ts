import { Secret } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { createCallControl } from './call-control.js';

const apiKey = new Secret('sk-test-0000000000000');

describe('createCallControl', () => {
  it('aborts its signal when the timeout elapses on the clock, and says so', async () => {
    const clock = createFakeClock();
    const control = createCallControl({ apiKey, timeoutMs: 100 }, clock);
    await clock.advance(99);
    expect(control.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(control.signal.aborted).toBe(true);
    expect(control.timedOut()).toBe(true);
    expect(control.callerAborted()).toBe(false);
  });

  it('follows the caller signal, and touch() restarts the timeout', async () => {
    const clock = createFakeClock();
    const caller = new AbortController();
    const control = createCallControl({ apiKey, timeoutMs: 100, signal: caller.signal }, clock);
    await clock.advance(80);
    control.touch();
    await clock.advance(80);
    expect(control.signal.aborted).toBe(false);
    caller.abort();
    expect(control.signal.aborted).toBe(true);
    expect(control.callerAborted()).toBe(true);
    control.dispose();
    expect(clock.pending()).toBe(0);
  });
});
