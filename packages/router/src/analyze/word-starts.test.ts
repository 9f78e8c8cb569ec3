import { describe, expect, it } from 'vitest';
import blind from '../fixtures/blind-prompts.json' with { type: 'json' };
import labelled from '../fixtures/labelled-prompts.json' with { type: 'json' };
import { countKeywordFamilies, keywordFamilies } from './keyword-families.js';
import { createWordStarts, NgramHasher, sketchWithWords } from './ngram-hasher.js';

const read = (words: ReturnType<typeof createWordStarts>) => ({
  starts: [...words.starts.subarray(0, words.count)],
  questions: words.questions,
  lines: words.lines,
  figures: words.figures,
});

const scanWordStarts = (text: string, words: ReturnType<typeof createWordStarts>) =>
  countKeywordFamilies(
    text,
    Object.fromEntries(keywordFamilies.map((family) => [family, 0])) as never,
    words,
    false,
  );

const texts = [
  '',
  'a',
  'Where is my order #123? It shipped 2.5 days ago, 1,000 units.',
  'x_y 3x 12.5mg\n(a) one\n  b) two\n- three\n\n?',
  'İstanbul 😱 café — ∑ x² ≤ 4 \u3000 • naïve_mot 42,',
  ...labelled.map((item) => item.prompt),
  ...blind.map((item) => item.prompt),
  // Long texts, whose middle the sketch reads with a loop of its own.
  labelled.map((item) => item.prompt).join('\n'),
  blind.map((item, index) => `${index % 4 === 0 ? '  ' : ''}${item.prompt}\n(a) x\n- y 1.5, 2`).join(' İ • '),
];

describe('word starts', () => {
  it('are the same whether the sketch finds them or the keyword pass does', () => {
    const hasher = new NgramHasher();
    const fromSketch = createWordStarts();
    const fromScan = createWordStarts();
    for (const text of texts) {
      const lower = text.toLowerCase();
      const sketch = sketchWithWords(hasher, lower, fromSketch);
      scanWordStarts(lower, fromScan);
      expect(read(fromSketch)).toEqual(read(fromScan));
      // Asking for the word starts leaves the sketch as it is.
      const plain = new NgramHasher().sketch(lower);
      expect([...sketch.slots.subarray(0, sketch.count)]).toEqual([...plain.slots.subarray(0, plain.count)]);
      expect(sketch.profile).toEqual(plain.profile);
    }
  });

  it('start at a letter or digit after anything else (a dot inside a number too), and count questions, lines and numbers', () => {
    const words = createWordStarts();
    scanWordStarts('ab 1.5,2 x_y?\nok', words);
    expect(read(words)).toEqual({ starts: [0, 3, 5, 7, 9, 11, 14], questions: 1, lines: 2, figures: 1 });
  });

  it('grow their buffer for a long text', () => {
    const words = createWordStarts();
    const text = 'a '.repeat(5000);
    scanWordStarts(text, words);
    expect(words.count).toBe(5000);
    sketchWithWords(new NgramHasher(), text, words);
    expect(words.count).toBe(5000);
  });
});
