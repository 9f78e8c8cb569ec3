import { describe, expect, it } from 'vitest';
import type { EmulatorFault } from './emulator-options.js';
import { createFaultInjector, type FaultSubject } from './faults.js';
import { createRandom, hashApiKey } from './random.js';

const subject = (overrides: Partial<FaultSubject> = {}): FaultSubject => ({
  provider: 'openai',
  model: 'gpt-4.1',
  keyHash: hashApiKey('sk-a'),
  stream: false,
  ...overrides,
});

function draws(faults: EmulatorFault[], subjects: FaultSubject[], now = () => 0, seed = 1) {
  const injector = createFaultInjector(faults, createRandom(seed), now);
  return subjects.map((item) => injector.draw(item)?.kind ?? '-');
}

describe('createFaultInjector', () => {
  it('fires only on requests that match provider, model, key and stream', () => {
    const faults: EmulatorFault[] = [
      {
        kind: 'drop',
        match: { provider: 'anthropic', model: ['claude-haiku-4-5'], key: 'sk-b', stream: true },
      },
    ];
    const matching = subject({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      keyHash: hashApiKey('sk-b'),
      stream: true,
    });
    expect(
      draws(faults, [
        matching,
        { ...matching, provider: 'google' },
        { ...matching, model: 'other' },
        { ...matching, keyHash: hashApiKey('sk-a') },
        { ...matching, stream: false },
      ]),
    ).toEqual(['drop', '-', '-', '-', '-']);
  });

  it('follows a request-number schedule counted among matching requests only', () => {
    const faults: EmulatorFault[] = [
      { kind: 'status', status: 500, match: { model: 'm' }, requests: { from: 2, to: 3 } },
    ];
    const m = subject({ model: 'm' });
    const other = subject({ model: 'other' });
    expect(draws(faults, [m, other, m, m, other, m])).toEqual(['-', '-', 'status', 'status', '-', '-']);
  });

  it('follows a time window on the clock, from inclusive and to exclusive', () => {
    let now = 0;
    const injector = createFaultInjector(
      [{ kind: 'slow', delayMs: 5, time: { from: 100, to: 200 } }],
      createRandom(1),
      () => now,
    );
    const at = (time: number) => {
      now = time;
      return injector.draw(subject())?.kind ?? '-';
    };
    expect([at(99), at(100), at(199), at(200)]).toEqual(['-', 'slow', 'slow', '-']);
  });

  it('fires at about the given rate, the same way for the same seed', () => {
    const many = Array.from({ length: 2000 }, () => subject());
    const first = draws([{ kind: 'status', status: 503, rate: 0.25 }], many, () => 0, 7);
    const again = draws([{ kind: 'status', status: 503, rate: 0.25 }], many, () => 0, 7);
    const other = draws([{ kind: 'status', status: 503, rate: 0.25 }], many, () => 0, 8);
    const fired = first.filter((kind) => kind === 'status').length;
    expect(first).toEqual(again);
    expect(other).not.toEqual(first);
    expect(fired).toBeGreaterThan(400);
    expect(fired).toBeLessThan(600);
  });

  it('applies mid-stream faults to streams only and tries faults in order', () => {
    const faults: EmulatorFault[] = [{ kind: 'midStream' }, { kind: 'status', status: 429 }];
    expect(draws(faults, [subject({ stream: true }), subject({ stream: false })])).toEqual([
      'midStream',
      'status',
    ]);
  });

  it('restarts schedules when the faults are replaced', () => {
    const injector = createFaultInjector([], createRandom(1), () => 0);
    injector.set([{ kind: 'drop', requests: { to: 1 } }]);
    expect(injector.draw(subject())?.kind).toBe('drop');
    expect(injector.draw(subject())).toBeUndefined();
    injector.set([{ kind: 'drop', requests: { to: 1 } }]);
    expect(injector.draw(subject())?.kind).toBe('drop');
  });

  it('returns only the effect, not the key it matched', () => {
    const injector = createFaultInjector(
      [{ kind: 'status', status: 500, match: { key: 'sk-secret' } }],
      createRandom(1),
      () => 0,
    );
    const fired = injector.draw(subject({ keyHash: hashApiKey('sk-secret') }));
    expect(fired).toEqual({ kind: 'status', status: 500 });
  });
});
