import { describe, expect, it } from 'vitest';
import { createAttributeSets } from './attribute-sets.js';

describe('createAttributeSets', () => {
  it('builds a set once per path and returns the same frozen object after', () => {
    const sets = createAttributeSets();
    let builds = 0;
    const build = () => {
      builds++;
      return { 'forge1.tenant': 'acme' };
    };
    const first = sets.get(['acme', 'small', undefined], build);
    const again = sets.get(['acme', 'small', undefined], build);
    expect(again).toBe(first);
    expect(builds).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('tells paths apart by every value, undefined and booleans included', () => {
    const sets = createAttributeSets();
    const paths = [
      ['acme', true, undefined],
      ['acme', false, undefined],
      ['acme', true, 'enterprise'],
      ['acme', 'true', undefined],
    ];
    const built = paths.map((path, n) => sets.get(path, () => ({ n })));
    expect(built.map((set) => set.n)).toEqual([0, 1, 2, 3]);
  });

  it('starts over once it holds maxSets sets, and still answers every path', () => {
    const sets = createAttributeSets(2);
    const a = sets.get(['a'], () => ({ v: 'a' }));
    sets.get(['b'], () => ({ v: 'b' }));
    const c = sets.get(['c'], () => ({ v: 'c' }));
    expect(c).toEqual({ v: 'c' });
    const aAgain = sets.get(['a'], () => ({ v: 'a' }));
    expect(aAgain).toEqual({ v: 'a' });
    expect(aAgain).not.toBe(a);
  });
});
