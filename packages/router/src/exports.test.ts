import {
  createBuiltInVerifiers,
  defaultExpectedOutputTokens,
  defaultHedgingPhrases,
  defaultMinimumWords,
  defaultPreferenceShifts,
  defaultProfiles,
  defaultRefusalPhrases,
  defaultThresholds,
  keywordFamilies,
} from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { createLru } from './lru.js';

describe('exported defaults and helpers', () => {
  it('order thresholds and tilt profiles the documented way', () => {
    expect(defaultThresholds.simple).toBeLessThan(defaultThresholds.moderate);
    expect(defaultThresholds.moderate).toBeLessThan(defaultThresholds.complex);
    expect(defaultProfiles.finance.shift).toBeGreaterThan(0);
    expect(defaultProfiles.healthcare.shift).toBeGreaterThan(0);
    expect(defaultProfiles.tech.shift).toBeLessThan(0);
    expect(defaultPreferenceShifts.cost).toBeLessThan(defaultPreferenceShifts.quality);
    expect(defaultExpectedOutputTokens.simple).toBeLessThan(defaultExpectedOutputTokens.critical);
    expect(defaultMinimumWords.simple).toBeLessThan(defaultMinimumWords.complex);
    expect(defaultHedgingPhrases).toContain("i'm not sure");
    expect(defaultRefusalPhrases.length).toBeGreaterThan(3);
    expect(keywordFamilies).toContain('critical');
  });

  it('drop the least recently used entry of a full LRU', () => {
    const lru = createLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.size).toBe(2);
  });

  it('keep the same entries as a list in recency order, over any mix of calls', () => {
    const lru = createLru<number, number>(5);
    let order: Array<[number, number]> = [];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let step = 0; step < 5000; step++) {
      const key = next() % 9;
      const call = next() % 4;
      const at = order.findIndex(([known]) => known === key);
      if (call === 0) {
        lru.set(key, step);
        if (at >= 0) order.splice(at, 1);
        order.push([key, step]);
        order = order.slice(-5);
      } else if (call === 1) {
        const expected = at >= 0 ? order[at]![1] : undefined;
        if (at >= 0) order.push(...order.splice(at, 1));
        expect(lru.get(key)).toBe(expected);
      } else if (call === 2) {
        expect(lru.peek(key)).toBe(at >= 0 ? order[at]![1] : undefined);
      } else {
        expect(lru.delete(key)).toBe(at >= 0);
        if (at >= 0) order.splice(at, 1);
      }
      expect(lru.size).toBe(order.length);
    }
  });
});

describe('exported verifiers', () => {
  it('list the built-in verifiers in the order the judge runs them', () => {
    expect(createBuiltInVerifiers().map((verifier) => verifier.name)).toEqual([
      'truncation',
      'json-schema',
      'fences',
      'arithmetic',
      'final-answer',
      'second-guessing',
    ]);
  });
});
