// Test support for the gateway's own tests (not exported from the package).
import type { ProviderChatRequest } from '../chat.js';
import { createTenantDirectory } from '../tenant-directory.js';
import {
  createRecordingMeter,
  createScriptedAdapter,
  createStaticKeyPool,
  createStaticRouter,
  type ScriptedReply,
} from '../testing/doubles.js';
import { createGateway } from './create-gateway.js';
import type { GatewayOptions } from './types.js';

/** A one-message request. */
export const testMessages = [{ role: 'user' as const, content: 'Compare two pension plans for me' }];

/**
 * A gateway over scripted openai and anthropic adapters, a static router (openai first,
 * anthropic as fallback, a stronger openai rung on the ladder) and a recording meter.
 */
export function createTestGateway(
  overrides: Partial<GatewayOptions> = {},
  replies: Partial<Record<'openai' | 'anthropic', (request: ProviderChatRequest) => ScriptedReply>> = {},
) {
  const scripted = (provider: 'openai' | 'anthropic') =>
    createScriptedAdapter(
      provider,
      (request) => replies[provider]?.(request) ?? { text: `answer from ${request.model}` },
    );
  const openai = scripted('openai');
  const anthropic = scripted('anthropic');
  const meter = createRecordingMeter();
  const keys = createStaticKeyPool(2);
  const router = createStaticRouter({
    provider: 'openai',
    model: 'gpt-4.1-nano',
    level: 'moderate',
    fallbacks: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }],
    ladder: [],
  });
  const options: GatewayOptions = {
    tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise', industry: 'finance' }] }),
    router,
    keys,
    providers: { openai, anthropic },
    meter,
    ...overrides,
  };
  return { gateway: createGateway(options), openai, anthropic, meter, keys, options };
}
