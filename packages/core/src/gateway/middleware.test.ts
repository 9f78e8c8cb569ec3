import { describe, expect, it, vi } from 'vitest';
import {
  type AttemptOutcome,
  ContentBlockedError,
  contentText,
  type GatewayMiddleware,
  type MiddlewareAttempt,
  type ProviderChatRequest,
  ProviderUnavailableError,
} from '../index.js';
import { createTestGateway, testMessages } from './test-gateway.js';

const email = 'ada@example.com';

/** Swaps e-mail addresses for `[EMAIL n]` before routing and restores them in answers. */
function placeholders(): GatewayMiddleware<{ values: string[]; held: string }> {
  const restore = (text: string, values: string[]) =>
    text.replace(/\[EMAIL (\d+)\]/g, (_, n: string) => values[Number(n) - 1] ?? _);
  return {
    name: 'placeholders',
    createState: () => ({ values: [], held: '' }),
    transformRequest(request, { state, annotate }) {
      const messages = request.messages.map((message) => {
        if (message.role !== 'user') return message;
        const content = contentText(message.content).replace(/\S+@\S+/g, (found) => {
          state.values.push(found);
          annotate('redacted.email', 1);
          return `[EMAIL ${state.values.length}]`;
        });
        return { ...message, content };
      });
      return { ...request, messages };
    },
    transformChunk(chunk, { state }) {
      if (chunk.type !== 'text-delta') return chunk;
      const text = state.held + chunk.text;
      const open = text.lastIndexOf('[');
      // Hold an unfinished placeholder back until its closing bracket arrives.
      const cut = open >= 0 && !text.slice(open).includes(']') ? open : text.length;
      state.held = text.slice(cut);
      const ready = text.slice(0, cut);
      return ready ? [{ type: 'text-delta', text: restore(ready, state.values) }] : [];
    },
    flush: ({ state }) => (state.held ? [{ type: 'text-delta', text: state.held }] : []),
    onResult(outcome, { state }) {
      if (!outcome.ok) return undefined;
      return { ...outcome.result, text: restore(outcome.result.text, state.values) };
    },
  };
}

const echo = {
  openai: (request: ProviderChatRequest) => ({
    text: `Reply to ${contentText(request.messages[0]!.content)} soon`,
  }),
};
const withEmail = [{ role: 'user' as const, content: `Write to ${email}` }];

describe('gateway middleware', () => {
  it('changes the request before routing and restores the answer in onResult, with state between hooks', async () => {
    const { gateway, options, openai } = createTestGateway({ middleware: [placeholders()] }, echo);
    const decide = vi.spyOn(options.router, 'decide');
    const result = await gateway.chat({ tenant: 'acme', messages: withEmail });
    expect(contentText(decide.mock.calls[0]![0].messages[0]!.content)).toBe('Write to [EMAIL 1]');
    expect(contentText(openai.calls[0]!.request.messages[0]!.content)).toBe('Write to [EMAIL 1]');
    expect(result.text).toBe(`Reply to Write to ${email} soon`);
  });

  it('restores a placeholder that straddles stream chunks by holding text back', async () => {
    const { gateway } = createTestGateway({ middleware: [placeholders()] }, echo);
    const stream = gateway.stream({ tenant: 'acme', messages: withEmail });
    const texts: string[] = [];
    for await (const chunk of stream) if (chunk.type === 'text-delta') texts.push(chunk.text);
    expect(texts.join('')).toBe(`Reply to Write to ${email} soon`);
    expect(texts.some((text) => text.includes('[EMAIL'))).toBe(false);
    expect((await stream.final()).text).toBe(`Reply to Write to ${email} soon`);
  });

  it('puts what middleware annotated on the usage record', async () => {
    const { gateway, meter } = createTestGateway({ middleware: [placeholders()] }, echo);
    await gateway.chat({ tenant: 'acme', messages: withEmail });
    expect(meter.records[0]!.annotations).toEqual({ 'redacted.email': 1 });
  });

  it('refuses with the typed error a hook throws, reports it, and calls no provider', async () => {
    const blocker: GatewayMiddleware = {
      name: 'blocker',
      transformRequest() {
        throw new ContentBlockedError('card number', { kinds: ['paymentCard'] });
      },
    };
    const { gateway, openai } = createTestGateway({ middleware: [blocker] });
    const refused = vi.fn();
    gateway.events.on('middleware.refused', refused);
    await expect(gateway.chat({ tenant: 'acme', messages: testMessages })).rejects.toBeInstanceOf(
      ContentBlockedError,
    );
    expect(refused).toHaveBeenCalledWith(
      expect.objectContaining({
        middleware: 'blocker',
        hook: 'transformRequest',
        errorCode: 'content_blocked',
      }),
    );
    expect(openai.calls).toHaveLength(0);
  });

  it('wraps every attempt, with the key and queue wait once leased and the outcome', async () => {
    const seen: Array<{ attempt: MiddlewareAttempt; keyId: string | undefined; outcome: AttemptOutcome }> =
      [];
    const observer: GatewayMiddleware = {
      name: 'observer',
      async wrapAttempt(attempt, next) {
        const keyBefore = attempt.keyId;
        const outcome = await next();
        seen.push({ attempt: { ...attempt }, keyId: keyBefore, outcome });
        return outcome;
      },
    };
    const down = () => ({ error: new ProviderUnavailableError('down', { provider: 'openai' }) });
    const { gateway } = createTestGateway({ middleware: [observer] }, { openai: down });
    await gateway.chat({ tenant: 'acme', messages: testMessages });
    expect(seen.map(({ attempt }) => [attempt.provider, attempt.attempt, attempt.fallback])).toEqual([
      ['openai', 1, false],
      ['anthropic', 2, true],
    ]);
    expect(seen[0]!.keyId).toBeUndefined();
    expect(seen[0]!.attempt.keyId).toBe('key-openai-1');
    expect(seen[0]!.attempt.queueWaitMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]!.outcome).toMatchObject({ ok: false, error: { code: 'provider_unavailable' } });
    expect(seen[1]!.outcome).toMatchObject({ ok: true, keyId: 'key-anthropic-1', finishReason: 'stop' });
  });

  it('settles a stream attempt only once its stream has ended', async () => {
    const order: string[] = [];
    const observer: GatewayMiddleware = {
      name: 'observer',
      async wrapAttempt(_attempt, next) {
        const outcome = await next();
        order.push(`attempt ended ${outcome.ok}`);
        return outcome;
      },
    };
    const { gateway } = createTestGateway({ middleware: [observer] });
    for await (const chunk of gateway.stream({ tenant: 'acme', messages: testMessages }))
      order.push(chunk.type);
    expect(order.indexOf('attempt ended true')).toBeGreaterThan(order.indexOf('finish'));
  });

  it('lets onResult see the error of a failed request', async () => {
    const onResult = vi.fn();
    const down = () => ({ error: new ProviderUnavailableError('down', { provider: 'x' }) });
    const { gateway } = createTestGateway(
      { middleware: [{ name: 'watch', onResult }] },
      { openai: down, anthropic: down },
    );
    await expect(gateway.chat({ tenant: 'acme', messages: testMessages })).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
    expect(onResult).toHaveBeenCalledWith(
      { ok: false, error: expect.objectContaining({ code: 'provider_unavailable' }) },
      expect.objectContaining({ requestId: expect.any(String) }),
    );
  });
});
