import { describe, expect, it } from 'vitest';
import { genAiProviderName } from './attributes.js';

describe('genAiProviderName', () => {
  it('maps Forge1 provider names to the well-known values of the conventions', () => {
    expect(genAiProviderName('google')).toBe('gcp.gemini');
    expect(genAiProviderName('mistral')).toBe('mistral_ai');
  });

  it('keeps names that are already well-known values or unknown to the conventions', () => {
    expect(['openai', 'anthropic', 'deepseek', 'my-proxy'].map(genAiProviderName)).toEqual([
      'openai',
      'anthropic',
      'deepseek',
      'my-proxy',
    ]);
  });

  it('keeps names that are properties of every object', () => {
    expect(['constructor', 'toString', '__proto__'].map(genAiProviderName)).toEqual([
      'constructor',
      'toString',
      '__proto__',
    ]);
  });
});
