// The test of the middleware example in docs/architecture.md.
import { contentText, createEventBus, createGateway, createTenantDirectory } from '@forge1/core';
import {
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
} from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { createPhoneMasking } from './middleware.ts';

function setup() {
  const events = createEventBus();
  // The provider repeats the prompt, so the test sees what it received and what comes back.
  const openai = createScriptedAdapter('openai', (request) => ({
    text: `You said: ${contentText(request.messages.at(-1)!.content)}`,
  }));
  const meter = createRecordingMeter();
  const gateway = createGateway({
    tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
    router: createStaticRouter({ provider: 'openai', model: 'gpt-4.1-nano' }),
    keys: createStaticKeyPool(),
    providers: { openai },
    meter,
    events,
    middleware: [createPhoneMasking({ events })],
  });
  return { gateway, openai, meter, events };
}

const messages = [{ role: 'user' as const, content: 'Call me on +44 20 7946 0958 today' }];

describe('the phone-masking middleware', () => {
  it('sends a placeholder to the provider and restores the number in the answer', async () => {
    const { gateway, openai, meter } = setup();
    const result = await gateway.chat({ tenant: 'acme', messages });
    expect(contentText(openai.calls[0]!.request.messages[0]!.content)).toBe('Call me on [PHONE 1] today');
    expect(result.text).toBe('You said: Call me on +44 20 7946 0958 today');
    expect(meter.records[0]!.annotations).toEqual({ 'masked.phone': 1 });
  });

  it('restores a placeholder split across stream chunks', async () => {
    const { gateway } = setup();
    const texts: string[] = [];
    for await (const chunk of gateway.stream({ tenant: 'acme', messages })) {
      if (chunk.type === 'text-delta') texts.push(chunk.text);
    }
    expect(texts.join('')).toBe('You said: Call me on +44 20 7946 0958 today');
    expect(texts.some((text) => text.includes('PHONE'))).toBe(false);
  });

  it('announces what it masked with its own typed event', async () => {
    const { gateway, events } = setup();
    const masked: number[] = [];
    events.on('example.masked', ({ count }) => masked.push(count));
    await gateway.chat({ tenant: 'acme', messages });
    expect(masked).toEqual([1]);
  });
});
