import type { Attributes, Counter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createPendingCounts, immediateCounts } from './pending-counts.js';

function recordingCounter() {
  const adds: Array<[number, Attributes | undefined]> = [];
  const counter: Counter = { add: (value, attributes) => adds.push([value, attributes]) };
  return { counter, adds };
}

describe('createPendingCounts', () => {
  it('adds nothing until a flush, then one sum per counter and attribute set', () => {
    const { counter: requests, adds: requestAdds } = recordingCounter();
    const { counter: cost, adds: costAdds } = recordingCounter();
    const acme = Object.freeze({ 'forge1.tenant': 'acme' });
    const globex = Object.freeze({ 'forge1.tenant': 'globex' });
    const counts = createPendingCounts();
    counts.add(requests, 1, acme);
    counts.add(requests, 1, acme);
    counts.add(requests, 1, globex);
    counts.add(cost, 250, acme);
    counts.add(cost, 0, globex);
    expect(requestAdds).toEqual([]);
    counts.flush();
    expect(requestAdds).toEqual([
      [2, acme],
      [1, globex],
    ]);
    expect(costAdds).toEqual([
      [250, acme],
      [0, globex],
    ]);
  });

  it('starts again from none after a flush', () => {
    const { counter, adds } = recordingCounter();
    const acme = Object.freeze({ 'forge1.tenant': 'acme' });
    const counts = createPendingCounts();
    counts.add(counter, 3, acme);
    counts.flush();
    counts.flush();
    counts.add(counter, 1, acme);
    counts.flush();
    expect(adds).toEqual([
      [3, acme],
      [1, acme],
    ]);
  });

  it('flushes by itself when a new attribute set would exceed maxPending, losing no increment', () => {
    const { counter, adds } = recordingCounter();
    const sets = [0, 1, 2].map((n) => Object.freeze({ n }));
    const counts = createPendingCounts(2);
    counts.add(counter, 1, sets[0]!);
    counts.add(counter, 1, sets[1]!);
    counts.add(counter, 1, sets[1]!);
    expect(adds).toEqual([]);
    counts.add(counter, 5, sets[2]!);
    expect(adds).toEqual([
      [1, sets[0]],
      [2, sets[1]],
    ]);
    counts.flush();
    expect(adds.at(-1)).toEqual([5, sets[2]]);
  });
});

describe('immediateCounts', () => {
  it('adds each increment to its counter at once', () => {
    const { counter, adds } = recordingCounter();
    const acme = { 'forge1.tenant': 'acme' };
    immediateCounts.add(counter, 2, acme);
    expect(adds).toEqual([[2, acme]]);
  });
});
