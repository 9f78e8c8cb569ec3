import { ValidationError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { anthropic } from '../anthropic/anthropic-adapter.js';
import { google } from '../google/google-adapter.js';
import { openai, openaiCompatible } from '../openai/openai-adapter.js';

describe('adapter options', () => {
  it('refuse a bad base URL with a ValidationError naming the field', () => {
    expect(() => openai({ baseURL: 'not a url' })).toThrow(ValidationError);
    expect(() => anthropic({ baseURL: 'nope' })).toThrow(/baseURL/);
    expect(() => google({ defaultMaxTokens: 1 } as never)).not.toThrow();
  });

  it('require a name and a base URL for an OpenAI-compatible provider', () => {
    expect(() => openaiCompatible({ baseURL: 'http://localhost:11434/v1' } as never)).toThrow(/name/);
    expect(() => openaiCompatible({ name: 'Ollama Local', baseURL: 'http://localhost:11434/v1' })).toThrow(
      ValidationError,
    );
    expect(openaiCompatible({ name: 'ollama', baseURL: 'http://localhost:11434/v1' }).provider).toBe(
      'ollama',
    );
  });

  it('refuse a non-positive defaultMaxTokens', () => {
    expect(() => anthropic({ defaultMaxTokens: 0 })).toThrow(/defaultMaxTokens/);
  });
});
