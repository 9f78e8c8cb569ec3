import type { ChatChunk, ChatResult } from './chat.js';
import type { EmbedResult, ProviderEmbedRequest } from './embeddings.js';
import { AbortedError, Forge1Error, ValidationError } from './errors.js';
import type { MeterSinkV1, MeterV1 } from './ports/meter.js';
import type { ProviderAdapterV1, ProviderCall } from './ports/provider-adapter.js';
import { ProviderUnavailableError } from './provider-errors.js';

function requireV1(kind: string, plugin: { specificationVersion?: unknown } | undefined): void {
  let version: unknown;
  try {
    version = plugin?.specificationVersion;
  } catch {
    version = '(unreadable)';
  }
  if (version !== 'v1') {
    const shown = typeof version === 'string' ? JSON.stringify(version) : typeof version;
    throw new ValidationError(kind, [
      { path: 'specificationVersion', message: `expected 'v1', got ${shown}` },
    ]);
  }
}

/** Memoises an async function so it runs once; a failed run may be tried again. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= fn().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

const abortError = (signal: AbortSignal) =>
  Forge1Error.is(signal.reason) ? signal.reason : new AbortedError(undefined, { cause: signal.reason });

function normalise(
  error: unknown,
  adapter: ProviderAdapterV1,
  request: { model: string },
  call: ProviderCall,
) {
  if (call.signal?.aborted) return abortError(call.signal);
  if (Forge1Error.is(error)) return error;
  return new ProviderUnavailableError(`Adapter ${adapter.provider} threw a non-Forge1 error`, {
    provider: adapter.provider,
    model: request.model,
    ...(call.keyId === undefined ? {} : { keyId: call.keyId }),
    cause: error,
  });
}

/**
 * Wraps a third-party adapter so that it keeps the contract: version checked at wrap time,
 * an aborted signal refused before the call, anything thrown turned into a Forge1Error,
 * `close()` run once.
 * @throws ValidationError when the adapter is not a v1 adapter.
 */
export function wrapAdapter(adapter: ProviderAdapterV1): ProviderAdapterV1 {
  requireV1('provider adapter', adapter);
  const close = once(async () => adapter.close?.());
  return {
    specificationVersion: 'v1',
    provider: adapter.provider,
    async chat(request, call): Promise<ChatResult> {
      if (call.signal?.aborted) throw abortError(call.signal);
      try {
        return await adapter.chat(request, call);
      } catch (error) {
        throw normalise(error, adapter, request, call);
      }
    },
    async *stream(request, call): AsyncIterable<ChatChunk> {
      if (call.signal?.aborted) throw abortError(call.signal);
      try {
        yield* adapter.stream(request, call);
      } catch (error) {
        throw normalise(error, adapter, request, call);
      }
    },
    ...(adapter.embed
      ? {
          async embed(request: ProviderEmbedRequest, call: ProviderCall): Promise<EmbedResult> {
            if (call.signal?.aborted) throw abortError(call.signal);
            try {
              return await adapter.embed!(request, call);
            } catch (error) {
              throw normalise(error, adapter, request, call);
            }
          },
        }
      : {}),
    close,
  };
}

/** A wrapped sink: `init` and `close` always present, each run once. */
export interface WrappedSink extends MeterSinkV1 {
  /** Runs the sink's `init` once (again after a failure). */
  init(): Promise<void>;
  /** Runs the sink's `close` once; later writes are refused. */
  close(): Promise<void>;
}

/**
 * Wraps a sink: version checked, `init()` run once before the first write (again after a
 * failed init), `close()` run once, writes after close refused.
 */
export function wrapSink(sink: MeterSinkV1): WrappedSink {
  requireV1('meter sink', sink);
  const init = once(async () => sink.init?.());
  let closed = false;
  const close = once(async () => {
    closed = true;
    await sink.close?.();
  });
  return {
    specificationVersion: 'v1',
    name: sink.name,
    init,
    async write(batch) {
      if (closed) throw new Forge1Error('closed', `sink ${sink.name} is closed`);
      await init();
      await sink.write(batch);
    },
    close,
  };
}

/** Wraps a meter so that `close()` runs once. */
export function wrapMeter(meter: MeterV1): MeterV1 {
  requireV1('meter', meter);
  const close = once(() => meter.close());
  return {
    specificationVersion: 'v1',
    record: (record) => meter.record(record),
    flush: () => meter.flush(),
    close,
  };
}

/** Checks that a plug-in implements version 1 of its port. @throws ValidationError */
export function assertSpecificationV1(
  kind: string,
  plugin: { specificationVersion?: unknown } | undefined,
): void {
  requireV1(kind, plugin);
}
