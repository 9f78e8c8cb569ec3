import {
  type Catalog,
  type ChatRequest,
  type ModelInfo,
  ResidencyError,
  type TenantPolicy,
} from '@forge1/core';

/** True when the model may serve a tenant pinned to `regions` (null: any; a model without regions: any). */
export function servesRegions(model: ModelInfo, regions: readonly string[] | null): boolean {
  if (regions === null || model.regions === undefined) return true;
  return model.regions.some((region) => regions.includes(region));
}

/**
 * Models a request may go to: on a provider the host configured (and the gateway can call, when
 * `callable` is given), allowed by the tenant, in the tenant's regions, able to take the request
 * (JSON, tools, context window). `all` is the catalog's list, when the caller has it already.
 * @throws ResidencyError when models could take the request but none is in the tenant's regions.
 */
export function eligibleModels(
  catalog: Catalog,
  policy: TenantPolicy,
  request: ChatRequest,
  providers: ReadonlySet<string> | null,
  tokens: { input: number; output: number },
  all: readonly ModelInfo[] = catalog.list(),
  callable?: readonly string[],
): ModelInfo[] {
  const wantsJson = request.responseFormat?.type === 'json';
  const wantsTools = (request.tools?.length ?? 0) > 0;
  const capable = all.filter(
    (model) =>
      isUsableProvider(providers, callable, model.provider) &&
      (policy.allowedModels === null || policy.allowedModels.includes(model.id)) &&
      (policy.allowedProviders === null || policy.allowedProviders.includes(model.provider)) &&
      (!wantsJson || model.supportsJson) &&
      (!wantsTools || model.supportsTools) &&
      model.contextWindow >= tokens.input + Math.min(tokens.output, model.maxOutputTokens),
  );
  const inRegion = capable.filter((model) => servesRegions(model, policy.regions));
  if (inRegion.length === 0 && capable.length > 0 && policy.regions !== null) {
    throw new ResidencyError(
      `No model available to tenant "${policy.id}" is served in its regions (${policy.regions.join(', ')})`,
      { tenantId: policy.id, regions: policy.regions },
    );
  }
  return inRegion;
}

/** True when both the host (`configured`, null: any) and the gateway (`callable`, absent: any) can use the provider. */
export function isUsableProvider(
  configured: ReadonlySet<string> | null,
  callable: readonly string[] | undefined,
  provider: string,
): boolean {
  return (
    (configured === null || configured.has(provider)) &&
    (callable === undefined || callable.includes(provider))
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
