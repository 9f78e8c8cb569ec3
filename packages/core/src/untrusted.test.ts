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

  it('skips a field that an earlier getter deleted or hid, and reads a field a getter added never', () => {
    const input: Record<string, unknown> = {
      get first() {
        delete input.second;
        Object.defineProperty(input, 'third', { enumerable: false, value: 3 });
        input.fourth = 4;
        return 1;
      },
      second: 2,
      third: 3,
    };
    expect(readUntrusted(input, 'options')).toStrictEqual({ first: 1 });
  });

  it('refuses an input whose getter throws only the first time it runs', () => {
    let runs = 0;
    const input = {
      get flaky() {
        runs++;
        if (runs === 1) throw new RangeError('once');
        return 'fine';
      },
    };
    expect(() => readUntrusted({ nested: input }, 'options')).toThrow(
      /nested: could not be read \(RangeError: once\)/,
    );
  });

  it('takes a Proxy’s data from its descriptors, one trap call per field', () => {
    const calls: string[] = [];
    const proxy = new Proxy(
      { a: 1 },
      {
        getOwnPropertyDescriptor: (target, key) => {
          calls.push(`describe ${String(key)}`);
          return Reflect.getOwnPropertyDescriptor(target, key);
        },
        get: (_target, key) => {
          calls.push(`get ${String(key)}`);
          return 'from get';
        },
      },
    );
    expect(readUntrusted({ proxy }, 'options')).toEqual({ proxy: { a: 1 } });
    expect(calls).toEqual(['describe a']);
  });
});
