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
