import {
  createGateway,
  createTenantDirectory,
  type GatewayOptions,
  type ModelRef,
  ProviderUnavailableError,
  RateLimitedError,
} from '@forge1/core';
import {
  createFakeClock,
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
} from '@forge1/core/testing';

/** The prompt of every fixture request; it must never appear in telemetry unless content is captured. */
export const prompt = 'Compare two pension plans for my account 4242-SECRET-PROMPT';

/**
 * A gateway on core's test doubles: openai answers unless the model name says otherwise,
 * `gpt-4.1-nano` hedges (so the judge escalates to `gpt-4.1`) when the prompt asks for it,
 * models named `*-down` are unavailable and `*-limited` are rate-limited.
 */
export function createFixtureGateway(
  options: { model?: string; fallbacks?: ModelRef[]; gateway?: Partial<GatewayOptions> } = {},
) {
  const clock = createFakeClock(Date.UTC(2026, 0, 5));
  const reply = (model: string, content: string) => {
    if (model.endsWith('-down'))
      return { error: new ProviderUnavailableError('down for the test', { provider: 'openai' }) };
    if (model.endsWith('-limited'))
      return {
        error: new RateLimitedError('limited for the test', { provider: 'openai', kind: 'requests' }),
      };
    if (model === 'gpt-4.1-nano' && content.includes('hedge'))
      return { text: 'I am not sure', outputTokens: 5 };
    return { text: `answer from ${model}`, inputTokens: 12, outputTokens: 7 };
  };
  const lastContent = (request: { messages: Array<{ content: unknown }> }) =>
    String(request.messages.at(-1)?.content);
  const openai = createScriptedAdapter('openai', (request) => reply(request.model, lastContent(request)));
  const anthropic = createScriptedAdapter('anthropic', (request) =>
    reply(request.model, lastContent(request)),
  );
  const keys = createStaticKeyPool(2);
  const meter = createRecordingMeter();
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [
        { id: 'acme', tier: 'enterprise', industry: 'finance' },
        { id: 'beta', tier: 'standard' },
      ],
    }),
    router: createStaticRouter(
      {
        provider: 'openai',
        model: options.model ?? 'gpt-4.1-nano',
        level: 'moderate',
        score: 0.42,
        fallbacks: options.fallbacks ?? [{ provider: 'anthropic', model: 'claude-haiku-4-5' }],
        ladder: [{ provider: 'openai', model: 'gpt-4.1', fallbacks: [] }],
      },
      (result) =>
        /not sure/.test(result.text)
          ? { escalate: true, confidence: 0.2, reasons: ['hedging'] }
          : { escalate: false, confidence: 0.9, reasons: [] },
    ),
    keys,
    providers: { openai, anthropic },
    meter,
    clock,
    ...options.gateway,
  });
  return { gateway, keys, meter, clock };
}
