import { describe, expect, it } from 'vitest';
import { createAttributeSets } from './attribute-sets.js';

describe('createAttributeSets', () => {
  it('builds a set once per path and returns the same frozen object after', () => {
    let builds = 0;
    const sets = createAttributeSets((tenant: string, _level: string, _tier?: string) => {
      builds++;
      return { 'forge1.tenant': tenant };
    });
    const first = sets.get('acme', 'small', undefined);
    const again = sets.get('acme', 'small', undefined);
    expect(again).toBe(first);
    expect(first).toEqual({ 'forge1.tenant': 'acme' });
    expect(builds).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('tells paths apart by every value, undefined and booleans included', () => {
    let n = 0;
    const sets = createAttributeSets((_tenant: string, _flag: unknown, _tier?: string) => ({ n: n++ }));
    const paths: [string, unknown, string | undefined][] = [
      ['acme', true, undefined],
      ['acme', false, undefined],
      ['acme', true, 'enterprise'],
      ['acme', 'true', undefined],
    ];
    const built = paths.map((path) => sets.get(...path));
    expect(built.map((set) => set.n)).toEqual([0, 1, 2, 3]);
    expect(paths.map((path) => sets.get(...path).n)).toEqual([0, 1, 2, 3]);
  });

  it('tells six-value paths apart by their last value', () => {
    const sets = createAttributeSets((a: string, b: string, c: string, d: string, e: string, f: string) => ({
      v: a + b + c + d + e + f,
    }));
    expect(sets.get('a', 'b', 'c', 'd', 'e', 'f').v).toBe('abcdef');
    expect(sets.get('a', 'b', 'c', 'd', 'e', 'g').v).toBe('abcdeg');
  });

  it('starts over once it holds maxSets sets, and still answers every path', () => {
    const sets = createAttributeSets((v: string) => ({ v }), 2);
    const a = sets.get('a');
    sets.get('b');
    const c = sets.get('c');
    expect(c).toEqual({ v: 'c' });
    const aAgain = sets.get('a');
    expect(aAgain).toEqual({ v: 'a' });
    expect(aAgain).not.toBe(a);
  });
});
