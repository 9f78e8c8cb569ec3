import { describe, expect, it } from 'vitest';
import { readUntrusted, ValidationError } from './index.js';

describe('readUntrusted', () => {
  it('copies plain data, running each getter exactly once', () => {
    let reads = 0;
    const input = {
      get messages() {
        reads++;
        return [{ role: 'user', content: 'hi' }];
      },
    };
    const copy = readUntrusted(input, 'chat request');
    expect(copy).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
    expect(copy.messages).toBe(copy.messages);
    expect(reads).toBe(1);
  });

  it('turns a throwing getter or Proxy trap into a validation error naming the field', () => {
    const getter = {
      nested: Object.defineProperty({}, 'tier', {
        enumerable: true,
        get: () => {
          throw new RangeError('x');
        },
      }),
    };
    expect(() => readUntrusted(getter, 'options')).toThrow(ValidationError);
    expect(() => readUntrusted(getter, 'options')).toThrow(
      /nested\.tier: could not be read \(RangeError: x\)/,
    );
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new TypeError('trap');
        },
      },
    );
    expect(() => readUntrusted({ list: [trap] }, 'options')).toThrow(/list\.0: could not be read/);
  });

  it('refuses cycles and values deeper or larger than the limits', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => readUntrusted(cyclic, 'options')).toThrow(/self: is cyclic/);
    const shared = { a: 1 };
    expect(readUntrusted({ x: shared, y: shared }, 'options')).toEqual({ x: { a: 1 }, y: { a: 1 } });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10; i++) deep = { deep };
    expect(() => readUntrusted(deep, 'options', { maxDepth: 5 })).toThrow(/deeper than 5/);
    expect(() => readUntrusted(new Array(20).fill(0), 'options', { maxNodes: 10 })).toThrow(/more than 10/);
  });

  it('keeps instances, functions and objects with methods by reference, and __proto__ as a plain key', () => {
    const signal = new AbortController().signal;
    const clock = {
      t: 1,
      now() {
        return this.t;
      },
    };
    const copy = readUntrusted({ signal, clock, date: new Date(0) }, 'options');
    expect(copy.signal).toBe(signal);
    expect(copy.clock).toBe(clock);
    const polluted = readUntrusted(
      JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>,
      'x',
    );
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });
});
