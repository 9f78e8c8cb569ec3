import { describe, expect, it } from 'vitest';
import { bracketsBalance, createFenceVerifier } from './fence-verifier.js';
import { verifierInput } from './test-input.js';
import { createTruncationVerifier } from './truncation-verifier.js';
import type { VerifierFinding } from './verifier.js';

const verifier = createFenceVerifier();
const check = (text: string) => verifier.verify(verifierInput(text)) as VerifierFinding | undefined;
const c = { hashComments: false, singleQuotes: true };

describe('fence verifier', () => {
  it('accepts fences that parse', () => {
    expect(
      check('Run:\n```ts\nconst total = items.map((item) => item.price).reduce((a, b) => a + b, 0);\n```'),
    ).toBeUndefined();
    expect(check('```json\n{"ok": true}\n```')).toBeUndefined();
    expect(check('```python\n# a comment with ( in it\nprint("(")\n```')).toBeUndefined();
    expect(check("```rust\nfn first<'a>(x: &'a str) -> &'a str { x }\n```")).toBeUndefined();
    expect(check('```bash\necho "(" \n```')).toBeUndefined();
  });

  it('flags a json fence that does not parse', () => {
    expect(check('```json\n{"ok": true,}\n```')?.reason).toBe('a json fence does not parse');
  });

  it('flags a code fence whose brackets do not balance', () => {
    expect(check('```js\nfunction f(a) {\n  return g(a;\n}\n```')?.reason).toBe(
      'a js fence has unbalanced brackets',
    );
  });

  it('flags a fence that is opened and never closed', () => {
    expect(check('Here is the code:\n```python\ndef f(x):\n    return x')?.reason).toBe(
      'a code fence is never closed',
    );
  });

  it('balances brackets outside strings and comments only', () => {
    expect(bracketsBalance('a("(") /* ) */ // )\n[1]', c)).toBe(true);
    expect(bracketsBalance('a(b]', c)).toBe(false);
    expect(bracketsBalance('x = "\\"("', c)).toBe(true);
  });
});

describe('truncation verifier', () => {
  it('flags an answer cut at the length limit and nothing else', () => {
    const truncation = createTruncationVerifier();
    expect(truncation.verify(verifierInput('Partial', 'q', { result: { finishReason: 'length' } }))).toEqual({
      penalty: 0.5,
      reason: 'cut off at the length limit',
    });
    expect(truncation.verify(verifierInput('Whole'))).toBeUndefined();
  });
});
