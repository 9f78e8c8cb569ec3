import { z } from 'zod';
import type { Catalog, ModelInfo } from '../catalog.js';
import type { ChatResult } from '../chat.js';
import type { Clock } from '../clock.js';
import { runInContext } from '../context.js';
import type { EmbedRequest, EmbedResult } from '../embeddings.js';
import { ConfigurationError, ValidationError } from '../errors.js';
import type { GuardV1 } from '../ports/guard.js';
import type { ProviderAdapterV1 } from '../ports/provider-adapter.js';
import type { RouteDecision } from '../ports/router.js';
import type { TenantResolver } from '../ports/tenant-resolver.js';
import type { TenantPolicy } from '../tenancy.js';
import { estimateCharTokens } from '../tokens.js';
import { parseWith } from '../validation.js';
import type { Engine, Executor } from './engine.js';
import { createRun, type Prepared, type Run } from './run.js';
import type { AttemptInfo } from './types.js';
import { contextOf, type Who, whoShape } from './who.js';
import type { UsableProviders } from './wiring.js';

/** Input of `gateway.embed()`: an {@link EmbedRequest} plus who it is for (context fills the gaps). */
export interface GatewayEmbedInput extends EmbedRequest, Who {
  signal?: AbortSignal;
}

/** What `gateway.embed()` returns: the vectors, the usage and its exact cost. */
export interface GatewayEmbedResult extends EmbedResult {
  requestId: string;
  tenantId: string;
  /** Cost of every attempt, in integer micro-dollars. */
  costMicros: number;
  attempts: AttemptInfo[];
}

const embedInputSchema = z
  .object({
    ...whoShape,
    input: z.array(z.string().min(1).max(1_000_000)).min(1, 'at least one text is required').max(2048),
    model: z.string().min(1).optional(),
    dimensions: z.number().int().positive().max(65_536).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    signal: z
      .custom<AbortSignal>((value) => value instanceof AbortSignal, 'expected an AbortSignal')
      .optional(),
  })
  .strict();

/** What the embeddings path is built from. */
export interface EmbedDeps {
  clock: Clock;
  tenants: TenantResolver;
  catalog: Catalog;
  guard: GuardV1 | undefined;
  adapters: ReadonlyMap<string, ProviderAdapterV1>;
  usable: () => UsableProviders;
  engine: Engine;
  settle(run: Run): Promise<void>;
}

const servesRegions = (model: ModelInfo, policy: TenantPolicy) =>
  !policy.regions || !model.regions || model.regions.some((region) => policy.regions?.includes(region));

/**
 * `gateway.embed()`: tenancy, the guard (minimum cost and tokens held, settled once however it
 * ends), the embedding model (the one asked for, else the cheapest the tenant may use), then the
 * attempt engine: key pool (TPM), retries on other keys, fallback to other embedding models,
 * and one usage record per attempt that consumed tokens. Middleware does not run for embeddings.
 */
export function createEmbed(deps: EmbedDeps) {
  const { clock, catalog, guard, engine } = deps;

  function candidates(policy: TenantPolicy, asked: string | undefined): ModelInfo[] {
    const usable = deps.usable();
    const eligible = catalog
      .list({
        kind: 'embedding',
        ...(policy.allowedModels ? { ids: policy.allowedModels } : {}),
        ...(policy.allowedProviders ? { providers: policy.allowedProviders } : {}),
      })
      .filter(
        (m) => usable.set.has(m.provider) && deps.adapters.get(m.provider)?.embed && servesRegions(m, policy),
      )
      .sort((a, b) => a.prices.inputPerMillionMicros - b.prices.inputPerMillionMicros);
    if (asked === undefined) return eligible;
    const chosen = eligible.find((m) => m.id === asked);
    if (!chosen) {
      const known = catalog.get(asked);
      const message =
        known?.kind === 'embedding'
          ? 'not available to this tenant on any configured provider'
          : 'not an embedding model';
      throw new ValidationError('embed request', [{ path: 'model', message: `"${asked}": ${message}` }]);
    }
    return [chosen, ...eligible.filter((m) => m !== chosen)];
  }

  return async function embed(raw: GatewayEmbedInput): Promise<GatewayEmbedResult> {
    const input = parseWith(embedInputSchema, raw, 'embed request') as GatewayEmbedInput;
    const context = contextOf(input, clock, 'embed request');
    const run = createRun('chat', context, input.signal);
    return runInContext(context, async () => {
      try {
        const policy = await deps.tenants.resolve(context.tenantId);
        const models = candidates(policy, input.model);
        const [first, ...others] = models;
        // Another provider first: an outage usually takes a provider's every model down.
        const rest = [...others].sort(
          (a, b) => Number(a.provider === first?.provider) - Number(b.provider === first?.provider),
        );
        if (!first) {
          throw new ConfigurationError('no embedding model is available to this tenant', {
            issues: [{ path: 'providers', message: 'no provider with keys and an embed-capable adapter' }],
          });
        }
        const tokens = input.input.reduce((sum, text) => sum + estimateCharTokens(text.length), 0);
        const estimate = { input: tokens, output: 0 };
        const cost = (m: ModelInfo) =>
          catalog.costOf(m.id, { inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 }, clock.now());
        run.grant = guard
          ? await guard.check({ policy, context, minimumCostMicros: cost(first), estimatedTokens: tokens })
          : null;
        if (run.grant && guard?.reserve && run.grant.remainingBudgetMicros !== null) {
          await guard.reserve(run.grant, cost(first));
        }
        const decision: RouteDecision = {
          provider: first.provider,
          model: first.id,
          fallbacks: rest.map((m) => ({ provider: m.provider, model: m.id })),
          level: 'simple',
          score: 0,
          reasons: ['embedding'],
          ladder: [],
          estimatedCostMicros: cost(first),
        };
        run.decision = decision;
        const prepared: Prepared = {
          request: { messages: [], ...(input.metadata ? { metadata: input.metadata } : {}) },
          policy,
          estimate,
          decision,
        };
        let embedded: EmbedResult | undefined;
        const execute: Executor = async (adapter, request, call) => {
          const { input: texts, dimensions } = input;
          const result = await adapter.embed!(
            { input: texts, model: request.model, ...(dimensions === undefined ? {} : { dimensions }) },
            call,
          );
          embedded = result;
          return asChatResult(result);
        };
        const served = await engine.serveRung(run, prepared, decision, 0, execute);
        const result = embedded!;
        return {
          ...result,
          provider: served.ref.provider,
          model: served.ref.model,
          requestId: context.requestId,
          tenantId: context.tenantId,
          costMicros: run.attempts.reduce((sum, a) => sum + a.costMicros, 0),
          attempts: run.attempts,
        };
      } finally {
        await deps.settle(run);
      }
    });
  };
}

/** The engine speaks chat results; an embedding answer is one with no text. */
function asChatResult(result: EmbedResult): ChatResult {
  return {
    text: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: result.usage,
    provider: result.provider,
    model: result.model,
    latencyMs: result.latencyMs,
    ...(result.rateLimit ? { rateLimit: result.rateLimit } : {}),
    ...(result.providerRequestId ? { providerRequestId: result.providerRequestId } : {}),
  };
}
