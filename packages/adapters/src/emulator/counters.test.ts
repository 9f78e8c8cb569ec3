import { describe, expect, it } from 'vitest';
import { createCounters } from './counters.js';
import { hashApiKey } from './random.js';

describe('createCounters', () => {
  it('counts per total, provider, model and key, and finds keys by value', () => {
    const counters = createCounters();
    const keyHash = hashApiKey('sk-live-123');
    counters.add({ provider: 'openai', model: 'gpt-4.1', keyHash }, 'requests');
    counters.add({ provider: 'openai', model: 'gpt-4.1', keyHash }, 'outputTokens', 40);
    counters.add({ provider: 'google' }, 'requests');
    expect(counters.total()).toMatchObject({ requests: 2, outputTokens: 40 });
    expect(counters.forProvider('openai').requests).toBe(1);
    expect(counters.forProvider('google').requests).toBe(1);
    expect(counters.forModel('gpt-4.1').outputTokens).toBe(40);
    expect(counters.forKey('sk-live-123').requests).toBe(1);
    expect(counters.forKey('sk-other').requests).toBe(0);
  });

  it('enumerates keys by hash only, never by value', () => {
    const counters = createCounters();
    counters.add({ provider: 'anthropic', keyHash: hashApiKey('sk-live-secret') }, 'requests');
    const byKey = counters.byKeyHash();
    expect(Object.keys(byKey)).toEqual([hashApiKey('sk-live-secret')]);
    expect(JSON.stringify(byKey)).not.toContain('sk-live-secret');
  });

  it('hands out copies and resets to zero', () => {
    const counters = createCounters();
    counters.add({ provider: 'openai', model: 'm' }, 'ok');
    const before = counters.forModel('m');
    counters.add({ provider: 'openai', model: 'm' }, 'ok');
    expect(before.ok).toBe(1);
    counters.reset();
    expect(counters.total().ok).toBe(0);
    expect(counters.byModel()).toEqual({});
  });
});
