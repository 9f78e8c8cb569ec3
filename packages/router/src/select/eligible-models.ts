import type { Catalog, ChatRequest, ModelInfo, TenantPolicy } from '@forge1/core';

/**
 * Models a request may go to: on a provider the host configured, allowed by the tenant, able to
 * take the request (JSON, tools, context window).
 */
export function eligibleModels(
  catalog: Catalog,
  policy: TenantPolicy,
  request: ChatRequest,
  providers: ReadonlySet<string> | null,
  tokens: { input: number; output: number },
): ModelInfo[] {
  const wantsJson = request.responseFormat?.type === 'json';
  const wantsTools = (request.tools?.length ?? 0) > 0;
  return catalog
    .list()
    .filter(
      (model) =>
        (providers === null || providers.has(model.provider)) &&
        (policy.allowedModels === null || policy.allowedModels.includes(model.id)) &&
        (policy.allowedProviders === null || policy.allowedProviders.includes(model.provider)) &&
        (!wantsJson || model.supportsJson) &&
        (!wantsTools || model.supportsTools) &&
        model.contextWindow >= tokens.input + Math.min(tokens.output, model.maxOutputTokens),
    );
}

/** Expected cost of a request on a model, in micro-dollars: input tokens plus expected output. */
export function expectedCostMicros(
  catalog: Catalog,
  model: ModelInfo,
  tokens: { input: number; output: number },
): number {
  return catalog.costOf(model.id, {
    inputTokens: tokens.input,
    outputTokens: Math.min(tokens.output, model.maxOutputTokens),
    cachedInputTokens: 0,
  });
}
