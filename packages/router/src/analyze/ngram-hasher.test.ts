import { hashedDimensions, NgramHasher, readDifficultyInput } from '@forge1/router';
import { describe, expect, it } from 'vitest';

const sketchOf = (text: string, seed?: number) => {
  const sketch = new NgramHasher(seed).sketch(text);
  return { slots: [...sketch.slots.subarray(0, sketch.count)], profile: { ...sketch.profile } };
};

describe('hashed n-grams', () => {
  it('give the same distinct slots for the same text and seed, inside the hashed space', () => {
    const first = sketchOf('solve 3x + 4 = 19 for x');
    expect(sketchOf('solve 3x + 4 = 19 for x')).toEqual(first);
    expect(new Set(first.slots).size).toBe(first.slots.length);
    for (const slot of first.slots) expect(slot >= 0 && slot < hashedDimensions).toBe(true);
  });

  it('hash differently under another seed', () => {
    expect(sketchOf('solve 3x + 4 = 19 for x', 7).slots).not.toEqual(
      sketchOf('solve 3x + 4 = 19 for x').slots,
    );
  });

  it('fold digits and runs of spaces, so numbers and spacing do not make new n-grams', () => {
    expect(sketchOf('order 123  shipped').slots).toEqual(sketchOf('order 987 shipped').slots);
  });

  it('count options, list lines, digits and maths symbols of the text', () => {
    const { profile } = sketchOf('which is right?\na) 2 + 2 = 4\n(b) $x^2$\n- a list item\n1. first');
    expect(profile.optionLines).toBe(2);
    expect(profile.listLines).toBe(2);
    expect(profile.digits).toBe(5);
    expect(profile.mathsSymbols).toBe(5);
    expect(profile.words).toBeGreaterThan(8);
  });

  it('of a long text come from its start and end only, while its profile counts every character', () => {
    const start = 'the deployment failed with timeouts. '.repeat(20);
    const end = ' please compare two fixes and pick one.'.repeat(10);
    const plain = sketchOf(`${start}alpha beta gamma ${'delta '.repeat(50)}${end}`);
    const other = sketchOf(`${start}other words here ${'zulu, '.repeat(50)}${end}`);
    const figures = sketchOf(`${start}alpha beta gamma ${'777 + '.repeat(50)}${end}`);
    expect(other.slots).toEqual(plain.slots);
    expect(figures.slots).toEqual(plain.slots);
    expect(other.profile.words).toBe(plain.profile.words);
    expect(figures.profile.digits).toBe(plain.profile.digits + 150);
    expect(figures.profile.mathsSymbols).toBe(plain.profile.mathsSymbols + 50);
    expect(plain.profile.sketchedWords).toBeLessThan(plain.profile.words);
    // A text no longer than the sketched parts is hashed whole.
    expect(sketchOf(start.slice(0, 700)).profile.sketchedWords).toBe(
      sketchOf(start.slice(0, 700)).profile.words,
    );
  });

  it('are read in the same call as the analysis, which keeps its explained signals', () => {
    const input = readDifficultyInput({ messages: [{ role: 'user', content: 'Where is my order #123?' }] });
    expect(input.analysis.level).toBe('simple');
    expect(input.analysis.reasons.length).toBeGreaterThan(0);
    expect(input.sketch.count).toBe(sketchOf('where is my order #123?').slots.length);
  });
});
