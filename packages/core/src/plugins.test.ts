import { describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  type MeterSinkV1,
  once,
  type ProviderAdapterV1,
  wrapAdapter,
  wrapMeter,
  wrapSink,
} from './index.js';
import { Secret } from './secret.js';
import { createRecordingMeter, createScriptedAdapter } from './testing/index.js';

const call = { apiKey: new Secret('sk-test-000000000000') };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('wrapAdapter', () => {
  it('refuses an adapter of another specification version', () => {
    expect(() => wrapAdapter({ specificationVersion: 'v0' } as never)).toThrow(/specificationVersion/);
  });

  it('turns anything a third-party adapter throws into a provider error', async () => {
    const adapter: ProviderAdapterV1 = {
      specificationVersion: 'v1',
      provider: 'custom',
      chat: async () => {
        throw new TypeError('fetch failed');
      },
      // biome-ignore lint/correctness/useYield: an adapter that fails before its first chunk
      async *stream() {
        throw 'a string';
      },
    };
    const wrapped = wrapAdapter(adapter);
    await expect(wrapped.chat(request, call)).rejects.toMatchObject({
      code: 'provider_unavailable',
      provider: 'custom',
    });
    const iterate = async () => {
      for await (const _ of wrapped.stream(request, call)) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'provider_unavailable' });
  });

  it('refuses a call whose signal is already aborted without calling the adapter', async () => {
    const chat = vi.fn();
    const wrapped = wrapAdapter({ specificationVersion: 'v1', provider: 'p', chat, stream: vi.fn() });
    const controller = new AbortController();
    controller.abort();
    await expect(wrapped.chat(request, { ...call, signal: controller.signal })).rejects.toBeInstanceOf(
      AbortedError,
    );
    expect(chat).not.toHaveBeenCalled();
  });

  it('closes the adapter once', async () => {
    const close = vi.fn(async () => {});
    const wrapped = wrapAdapter({
      specificationVersion: 'v1',
      provider: 'p',
      chat: vi.fn(),
      stream: vi.fn(),
      close,
    });
    await Promise.all([wrapped.close?.(), wrapped.close?.()]);
    expect(close).toHaveBeenCalledOnce();
  });
});

describe('wrapSink', () => {
  it('initialises once before the first write, closes once, and refuses writes after close', async () => {
    const sink: MeterSinkV1 = {
      specificationVersion: 'v1',
      name: 's',
      init: vi.fn(async () => {}),
      write: vi.fn(async () => {}),
      close: vi.fn(async () => {}),
    };
    const wrapped = wrapSink(sink);
    await Promise.all([wrapped.write([]), wrapped.write([])]);
    expect(sink.init).toHaveBeenCalledOnce();
    await wrapped.close();
    await wrapped.close();
    expect(sink.close).toHaveBeenCalledOnce();
    await expect(wrapped.write([])).rejects.toMatchObject({ code: 'closed' });
  });

  it('tries init again after a failed init', async () => {
    let fails = 1;
    const init = vi.fn(async () => {
      if (fails-- > 0) throw new Error('db down');
    });
    const wrapped = wrapSink({ specificationVersion: 'v1', name: 's', init, write: async () => {} });
    await expect(wrapped.write([])).rejects.toThrow('db down');
    await expect(wrapped.write([])).resolves.toBeUndefined();
    expect(init).toHaveBeenCalledTimes(2);
  });
});

describe('wrapMeter and once', () => {
  it('closes a meter once', async () => {
    const meter = createRecordingMeter();
    const close = vi.spyOn(meter, 'close');
    const wrapped = wrapMeter(meter);
    await wrapped.close();
    await wrapped.close();
    expect(close).toHaveBeenCalledOnce();
  });

  it('memoises a successful run', async () => {
    const fn = vi.fn(async () => 7);
    const run = once(fn);
    expect(await run()).toBe(7);
    expect(await run()).toBe(7);
    expect(fn).toHaveBeenCalledOnce();
  });
});

describe('wrapAdapter and embeddings', () => {
  it('passes embed through, normalising what it throws, and leaves it out when the adapter has none', async () => {
    const base = createScriptedAdapter('openai', () => ({ text: 'x' }));
    expect(wrapAdapter(base).embed).toBeUndefined();
    const embedding = wrapAdapter({
      ...base,
      async embed() {
        throw new TypeError('boom');
      },
    });
    await expect(
      embedding.embed!({ input: ['a'], model: 'text-embedding-3-small' }, call),
    ).rejects.toMatchObject({
      code: 'provider_unavailable',
      provider: 'openai',
      model: 'text-embedding-3-small',
    });
  });
});
