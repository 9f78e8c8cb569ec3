import { type ChatChunk, ProviderUnavailableError, Secret } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { unknownError } from './failure.js';
import { createSdkAdapter, type SdkAttempt } from './sdk-adapter.js';
import { BaseStreamMapper } from './stream-mapper.js';

type Event = { text?: string; done?: boolean };

class EventMapper extends BaseStreamMapper<Event> {
  readonly missing = 'done';
  map(event: Event): ChatChunk[] {
    if (event.done) this.state.finishReason = 'stop';
    return event.text ? [{ type: 'text-delta', text: event.text }] : [];
  }
}

function fakeAdapter(events: Event[]) {
  const built: string[] = [];
  const signals: AbortSignal[] = [];
  const adapter = createSdkAdapter<{ key: string }, Event>({
    provider: 'fake',
    options: {},
    createClient: (apiKey) => {
      built.push(apiKey);
      return { key: apiKey };
    },
    async chat(client, request, attempt: SdkAttempt) {
      return {
        text: client.key,
        toolCalls: [],
        finishReason: 'stop',
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
        provider: 'fake',
        model: request.model,
        latencyMs: attempt.elapsed(),
      };
    },
    async openStream(_client, _request, attempt) {
      signals.push(attempt.signal);
      async function* source() {
        yield* events;
      }
      return { events: source(), requestId: 'req_1', rateLimit: () => ({ limitRequests: 5 }) };
    },
    streamMapper: () => new EventMapper(),
    normaliseError: (error, scope) => unknownError(error, scope),
  });
  return { adapter, built, signals };
}

const call = { apiKey: new Secret('sk-fake-key-0000000001'), keyId: 'k1' };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

async function collect(stream: AsyncIterable<ChatChunk>) {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('createSdkAdapter', () => {
  it('builds one client per key and answers chat through the hook', async () => {
    const { adapter, built } = fakeAdapter([]);
    expect(adapter).toMatchObject({ specificationVersion: 'v1', provider: 'fake' });
    await adapter.chat(request, call);
    const result = await adapter.chat(request, call);
    expect(result.text).toBe('sk-fake-key-0000000001');
    expect(built).toHaveLength(1);
  });

  it('ends a complete stream with one finish chunk carrying request id and rate limits', async () => {
    const { adapter } = fakeAdapter([{ text: 'a' }, { text: 'b' }, { done: true }]);
    const chunks = await collect(adapter.stream(request, call));
    expect(chunks.slice(0, 2)).toEqual([
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
    ]);
    expect(chunks[2]).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      provider: 'fake',
      model: 'm',
      rateLimit: { limitRequests: 5 },
      providerRequestId: 'req_1',
    });
  });

  it('fails a stream that stops before its end with an unavailable error naming what was missing', async () => {
    const { adapter } = fakeAdapter([{ text: 'a' }]);
    const error = await collect(adapter.stream(request, call)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain('stream ended before done');
  });

  it('aborts the request of a consumer that stops reading early', async () => {
    const { adapter, signals } = fakeAdapter([{ text: 'a' }, { text: 'b' }, { done: true }]);
    for await (const chunk of adapter.stream(request, call)) {
      expect(chunk.type).toBe('text-delta');
      break;
    }
    expect(signals[0]?.aborted).toBe(true);
  });

  it('refuses a malformed request or call with a validation error, the stream as a failed stream', async () => {
    const { adapter, built } = fakeAdapter([{ done: true }]);
    const refused = { code: 'validation_error' };
    await expect(adapter.chat(request, undefined as never)).rejects.toMatchObject(refused);
    await expect(adapter.chat({ ...request, model: 42 } as never, call)).rejects.toMatchObject(refused);
    await expect(adapter.chat(request, { apiKey: 'sk-plain-string' } as never)).rejects.toMatchObject(
      refused,
    );
    await expect(adapter.chat(request, { ...call, signal: {} } as never)).rejects.toMatchObject(refused);
    const stream = adapter.stream(null as never, call);
    await expect(collect(stream)).rejects.toMatchObject(refused);
    expect(built).toEqual([]);
  });
});
