import {
  type ChatChunk,
  createEventBus,
  createGateway,
  createTenantDirectory,
  type GatewayChatInput,
} from '@forge1/core';
import { createRecordingMeter, createStaticKeyPool, createStaticRouter } from '@forge1/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEchoAdapter, type EchoAdapterOptions } from '../../test/echo-adapter.js';
import { textWithPlantedValues } from '../../test/planted-values.js';
import { createRedactor, type RedactorOptions } from './redactor.js';
import { builtInDetectorNames } from './scanner.js';

const tenants = () =>
  createTenantDirectory({
    tenants: [
      { id: 'acme', tier: 'standard' },
      { id: 'clinic', tier: 'standard', regions: ['eu'], compliance: { preset: 'healthcare' } },
      { id: 'unpinned-clinic', tier: 'standard', compliance: { preset: 'healthcare' } },
      { id: 'bank', tier: 'standard', compliance: { preset: 'finance', detectors: { email: 'tokenize' } } },
    ],
  });

function setup(redactorOptions: RedactorOptions, adapterOptions: EchoAdapterOptions = {}) {
  const events = createEventBus();
  const adapter = createEchoAdapter('openai', adapterOptions);
  const meter = createRecordingMeter();
  const redactor = createRedactor({ events, ...redactorOptions });
  const gateway = createGateway({
    tenants: tenants(),
    router: createStaticRouter({ provider: 'openai', model: 'gpt-4o-mini' }),
    keys: createStaticKeyPool(),
    providers: { openai: adapter },
    meter,
    events,
    middleware: [redactor],
  });
  return { gateway, adapter, meter, events, redactor };
}

const ask = (tenant: string, content: string): GatewayChatInput => ({
  tenant,
  user: 'u1',
  messages: [{ role: 'user', content }],
});
const tokenizeAll = Object.fromEntries(builtInDetectorNames.map((name) => [name, 'tokenize' as const]));

async function streamed(gateway: ReturnType<typeof setup>['gateway'], input: GatewayChatInput) {
  const chunks: ChatChunk[] = [];
  const stream = gateway.stream(input);
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.text : '')).join('');
  const args = chunks.map((chunk) => (chunk.type === 'tool-call-delta' ? chunk.argumentsDelta : '')).join('');
  const call = chunks.find((chunk) => chunk.type === 'tool-call');
  return {
    text,
    args,
    call: call?.type === 'tool-call' ? call.toolCall : undefined,
    final: await stream.final(),
  };
}

describe('createRedactor in a gateway', () => {
  it('sends placeholders to the provider and restores the answer exactly, in chat and stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        textWithPlantedValues,
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        async ({ text, planted }, chunkSizes) => {
          const { gateway, adapter } = setup({ detectors: tokenizeAll }, { chunkSizes, toolCall: true });
          const answer = await gateway.chat(ask('acme', text));
          const sent = JSON.stringify(adapter.requests);
          for (const { value } of planted) expect(sent).not.toContain(value);
          expect(answer.text).toBe(text);
          expect(JSON.parse(answer.toolCalls[0]!.arguments)).toEqual({ note: text });

          const out = await streamed(gateway, ask('acme', text));
          expect(JSON.stringify(adapter.requests)).not.toContain(planted[0]!.value);
          expect(out.text).toBe(text);
          expect(JSON.parse(out.args)).toEqual({ note: text });
          expect(JSON.parse(out.call!.arguments)).toEqual({ note: text });
          expect(out.final.text).toBe(text);
          await gateway.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('masks without restoring and puts counts, never values, into usage records and events', async () => {
    const { gateway, meter, events } = setup({ detectors: { email: 'mask', phone: 'mask' } });
    const seen: unknown[] = [];
    events.on('compliance.redacted', (payload) => seen.push(payload));
    const answer = await gateway.chat(
      ask('acme', 'Mail ann@example.com or bob@example.org, call +14155552671.'),
    );
    expect(answer.text).toBe('Mail [REDACTED_EMAIL] or [REDACTED_EMAIL], call [REDACTED_PHONE].');
    expect(meter.records[0]!.annotations).toEqual({ 'redacted.email': 2, 'redacted.phone': 1 });
    expect(seen).toEqual([
      { requestId: answer.requestId, tenantId: 'acme', counts: { email: 2, phone: 1 }, blocked: [] },
    ]);
    expect(JSON.stringify([meter.records, seen])).not.toContain('ann@example.com');
  });

  it('blocks a request before any provider call with a content_blocked error naming the kinds', async () => {
    const { gateway, adapter } = setup({});
    const error = await gateway
      .chat(ask('bank', 'Charge 4111 1111 1111 1111 please'))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'content_blocked', kinds: ['paymentCard'], tenantId: 'bank' });
    expect(String((error as Error).message)).not.toContain('4111');
    expect(adapter.requests).toEqual([]);
    const streamedError = await streamed(gateway, ask('bank', 'card 4111111111111111')).catch(
      (thrown: unknown) => thrown,
    );
    expect(streamedError).toMatchObject({ code: 'content_blocked' });
    expect(adapter.requests).toEqual([]);
  });

  it('applies the tenant preset over the host defaults, and the policy over the preset', async () => {
    const { gateway, adapter } = setup({ detectors: { email: 'mask', secret: 'mask' } });
    await gateway.chat(ask('bank', 'ann@example.com, DE89 3704 0044 0532 0130 00'));
    expect(adapter.requests[0]!.messages[0]!.content).toBe('[EMAIL_1], [IBAN_1]');
    await gateway.chat(ask('acme', 'ann@example.com, DE89 3704 0044 0532 0130 00'));
    expect(adapter.requests[1]!.messages[0]!.content).toBe('[REDACTED_EMAIL], DE89 3704 0044 0532 0130 00');
  });

  it('refuses a tenant whose preset pins a region but whose policy has none', async () => {
    const { gateway, adapter } = setup({});
    await expect(gateway.chat(ask('unpinned-clinic', 'hello'))).rejects.toMatchObject({
      code: 'configuration_error',
    });
    await expect(gateway.chat(ask('clinic', 'hello'))).resolves.toMatchObject({ text: 'hello' });
    expect(adapter.requests).toHaveLength(1);
  });

  it('runs host patterns and refuses a policy naming an unknown detector', async () => {
    const { gateway, adapter } = setup({
      detectors: { employeeId: 'tokenize', badge: 'mask' },
      patterns: {
        employeeId: /EMP-\d{6}/,
        badge: {
          name: 'badge',
          find: (text, found) => {
            const at = text.indexOf('BADGE');
            if (at >= 0) found(at, at + 5);
          },
        },
      },
    });
    const answer = await gateway.chat(ask('acme', 'EMP-123456 has a BADGE'));
    expect(adapter.requests[0]!.messages[0]!.content).toBe('[EMPLOYEE_ID_1] has a [REDACTED_BADGE]');
    expect(answer.text).toBe('EMP-123456 has a [REDACTED_BADGE]');
    const odd = setup({ detectors: { nothing: 'mask' } });
    await expect(odd.gateway.chat(ask('acme', 'x'))).rejects.toMatchObject({ code: 'configuration_error' });
  });

  it('refuses bad options at creation', () => {
    expect(() => createRedactor({ detectors: { email: 'shred' as never } })).toThrow(/mask/);
    expect(() => createRedactor({ patterns: { email: /x/ } })).toThrow(/built-in/);
    expect(() => createRedactor({ patterns: { badge: { name: 'other', find() {} } } })).toThrow(/named/);
  });

  it('refuses hook arguments that are not objects, or that throw when read, with a validation error', () => {
    const redactor = createRedactor({ detectors: { email: 'tokenize' } });
    const refused = expect.objectContaining({ code: 'validation_error' });
    const throwing = Object.defineProperty({}, 'policy', {
      get: () => {
        throw new RangeError('from the caller');
      },
    });
    expect(() => redactor.transformRequest!({ messages: [] }, throwing as never)).toThrow(refused);
    expect(() => redactor.transformChunk!('text' as never, {} as never)).toThrow(refused);
    expect(() => redactor.transformChunk!({ type: 'text-delta', text: 'a' }, {} as never)).toThrow(refused);
    expect(() => redactor.flush!(undefined as never)).toThrow(refused);
    expect(() => redactor.onResult!({ ok: true } as never, null as never)).toThrow(refused);
  });
});
