import type { ChatRequest } from '@forge1/core';
import { denseSize, NgramHasher, readDifficultyInput } from '@forge1/router';
import { describe, expect, it } from 'vitest';
import blind from '../fixtures/blind-prompts.json' with { type: 'json' };
import labelled from '../fixtures/labelled-prompts.json' with { type: 'json' };

// The shipped prior and every eval figure were made with these exact features: a faster pass over
// the text must give the same slots in the same order, the same dense values to the bit and the
// same analysis. The digests below were recorded with the code the prior was trained with.

const words = new Float64Array(1);
const bits = new Uint32Array(words.buffer);

/** FNV-1a over 32-bit words. */
class Digest {
  private hash = 0x811c9dc5;
  word(value: number): this {
    this.hash = Math.imul(this.hash ^ (value >>> 0), 16777619) >>> 0;
    return this;
  }
  float(value: number): this {
    words[0] = value;
    return this.word(bits[0]!).word(bits[1]!);
  }
  text(value: string): this {
    for (let index = 0; index < value.length; index++) this.word(value.charCodeAt(index));
    return this.word(value.length);
  }
  get hex(): string {
    return this.hash.toString(16).padStart(8, '0');
  }
}

function featureDigest(request: ChatRequest, into = new Digest()): Digest {
  const { analysis, dense, sketch } = readDifficultyInput(request);
  into.word(sketch.count);
  for (let index = 0; index < sketch.count; index++) into.word(sketch.slots[index]!);
  for (const value of Object.values(sketch.profile)) into.float(value);
  for (const value of dense) into.float(value);
  into.text(analysis.level).float(analysis.score).float(analysis.confidence);
  for (const reason of analysis.reasons) into.text(reason);
  return into.text(JSON.stringify(analysis.signals));
}

const user = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });

// Lower-casing that changes a length (İ), makes a letter (the Kelvin sign) or depends on context
// (a final sigma), surrogate pairs, bullets, ideographic spaces and maths beyond ASCII.
const unicode = [
  'İstanbul İçin BİR PLAN: ΟΔΟΣ ΣΟΦΙΑΣ, 300 K (\u212a) — what should I do?',
  'Erklär mir bitte, warum der Server ausgefallen ist 😱🔥 und was wir jetzt tun?',
  '請解釋一下\u3000這個錯誤：TypeError: cannot read property of undefined',
  '• first point\n• second point\n∑ x² ≤ 4, ∫ f(x) dx ≥ π, √2\n(a) option\nb) option',
  'café naïve résumé — ﬁnancial ﬂow ß STRASSE Ǆ ǅ ǆ',
  '\ud83d unpaired surrogate \udc00 and a tab\there\r\nand CRLF lines\r\n',
];

const long = (() => {
  const parts: string[] = [];
  for (let index = 0; parts.join('\n').length < 200_000; index++) {
    const item = labelled[(index * 37) % labelled.length]!;
    parts.push(index % 3 === 0 ? item.prompt.toUpperCase() : item.prompt, unicode[index % unicode.length]!);
  }
  return parts.join('\n');
})();

describe('difficulty features', () => {
  it('are the ones the prior was trained with, on every fixture prompt', () => {
    const digest = new Digest();
    for (const item of [...labelled, ...blind]) featureDigest(user(item.prompt), digest);
    expect(digest.hex).toMatchInlineSnapshot(`"f874b5a6"`);
  });

  it('are the ones the prior was trained with, on empty, unicode and very long texts', () => {
    const digests = [
      featureDigest(user('')),
      featureDigest(user(' ')),
      featureDigest(user('a')),
      featureDigest(user('ab cd')),
      ...unicode.map((text) => featureDigest(user(text))),
      featureDigest(user(long)),
    ].map((digest) => digest.hex);
    expect(digests).toMatchInlineSnapshot(`
      [
        "d83a68d8",
        "73573f27",
        "0e02d412",
        "c9103ab8",
        "15bba79c",
        "6aaf5223",
        "9b3d33bd",
        "c7e7e54e",
        "2b32dfbf",
        "25df4634",
        "3102e079",
      ]
    `);
  });

  it('are the ones the prior was trained with, for conversations, formats and tools', () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: 'You are a careful analyst.' },
        { role: 'user', content: unicode[0]! },
        { role: 'assistant', content: 'Here is a first answer.' },
        { role: 'user', content: labelled[labelled.length - 1]!.prompt },
      ],
      maxTokens: 4000,
      responseFormat: {
        type: 'json',
        schema: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' } } },
      },
      tools: [{ name: 'lookup', description: 'Looks up', parameters: { type: 'object' } }],
      toolChoice: 'required',
    };
    expect(featureDigest(request).hex).toMatchInlineSnapshot(`"1573723a"`);
  });

  it('are written into the buffer a caller gives, with the same values', () => {
    const buffer = new Float64Array(denseSize);
    for (const text of ['', unicode[0]!, labelled[7]!.prompt]) {
      const fresh = readDifficultyInput(user(text));
      const reused = readDifficultyInput(user(text), { dense: buffer });
      expect(reused.dense).toBe(buffer);
      expect([...reused.dense]).toEqual([...fresh.dense]);
    }
  });

  it('sketch a lower-cased text the same way when called directly, under the default and another seed', () => {
    const digests = [undefined, 7].map((seed) => {
      const hasher = new NgramHasher(seed);
      const digest = new Digest();
      for (const text of [...unicode, long, '', 'x']) {
        const sketch = hasher.sketch(text.toLowerCase());
        digest.word(sketch.count);
        for (let index = 0; index < sketch.count; index++) digest.word(sketch.slots[index]!);
        for (const value of Object.values(sketch.profile)) digest.float(value);
      }
      return digest.hex;
    });
    expect(digests).toMatchInlineSnapshot(`
      [
        "532eeb74",
        "fb3966ec",
      ]
    `);
  });
});
