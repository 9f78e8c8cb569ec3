import { Secret } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { createClientCache } from './client-cache.js';

describe('createClientCache', () => {
  it('builds one client per key and reuses it', () => {
    let built = 0;
    const cache = createClientCache({ build: (apiKey, keyId) => ({ apiKey, keyId, n: built++ }) });
    const a = cache.get(new Secret('sk-aaaaaaaaaaaaaaaa'), 'a');
    expect(cache.get(new Secret('sk-aaaaaaaaaaaaaaaa'), 'a')).toBe(a);
    expect(cache.get(new Secret('sk-bbbbbbbbbbbbbbbb'), 'b')).not.toBe(a);
    expect(built).toBe(2);
  });

  it('builds a new client when a key id gets a rotated secret', () => {
    const cache = createClientCache({ build: (apiKey) => ({ apiKey }) });
    const before = cache.get(new Secret('sk-old-secret-000000'), 'k');
    const after = cache.get(new Secret('sk-new-secret-000000'), 'k');
    expect(after).not.toBe(before);
    expect(after.apiKey).toBe('sk-new-secret-000000');
  });

  it('drops the least recently used client beyond maxClients', () => {
    const cache = createClientCache({ maxClients: 2, build: (apiKey) => ({ apiKey }) });
    const first = cache.get(new Secret('sk-1111111111111111'));
    cache.get(new Secret('sk-2222222222222222'));
    cache.get(new Secret('sk-1111111111111111'));
    cache.get(new Secret('sk-3333333333333333'));
    expect(cache.size()).toBe(2);
    expect(cache.get(new Secret('sk-1111111111111111'))).toBe(first);
  });

  it('keeps the recency order when the same Secret is looked up again and again', () => {
    let built = 0;
    const cache = createClientCache({ maxClients: 2, build: (apiKey) => ({ apiKey, n: built++ }) });
    const one = new Secret('sk-1111111111111111');
    const first = cache.get(one, 'a');
    cache.get(new Secret('sk-2222222222222222'), 'b');
    // Repeated lookups of one key: the first is the one that makes it the most recent.
    expect(cache.get(one, 'a')).toBe(first);
    expect(cache.get(one, 'a')).toBe(first);
    cache.get(new Secret('sk-3333333333333333'), 'c');
    expect(cache.get(one, 'a')).toBe(first);
    expect(cache.size()).toBe(2);
    expect(built).toBe(3);
  });

  it('builds again after clear, for the Secret it served last', () => {
    let built = 0;
    const cache = createClientCache({ build: () => ({ n: built++ }) });
    const key = new Secret('sk-1111111111111111');
    const before = cache.get(key, 'a');
    cache.clear();
    expect(cache.get(key, 'a')).not.toBe(before);
    expect(built).toBe(2);
  });
});
