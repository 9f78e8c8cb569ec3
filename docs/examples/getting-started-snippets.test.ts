// The snippets of docs/getting-started.md are read by people who copy one block at a time, so every
// Forge1 factory a block calls must be imported in that block or in one before it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const page = readFileSync(new URL('../getting-started.md', import.meta.url), 'utf8');
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

const importedNames = (code: string) =>
  [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[^']+'/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map((name) => name.replace(/^\s*type\s+/, '').trim())
      .filter(Boolean),
  );

// Calls of the names the packages export as factories: createX(…), withResilience(…), openai(…) and the like.
const calledFactories = (code: string) =>
  [
    ...code.matchAll(/\b(create[A-Z]\w*|withResilience|startProviderEmulator|openai|anthropic|google)\(/g),
  ].map((match) => match[1] ?? '');

describe('docs/getting-started.md', () => {
  it('has snippets to check', () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  it('imports every factory a snippet calls, in that snippet or an earlier one', () => {
    const known = new Set<string>();
    const missing: string[] = [];
    blocks.forEach((code, index) => {
      for (const name of importedNames(code)) known.add(name);
      for (const name of calledFactories(code))
        if (!known.has(name)) missing.push(`block ${index + 1}: ${name}`);
    });
    expect(missing).toEqual([]);
  });
});
