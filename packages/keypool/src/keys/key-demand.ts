import { type KeyDemand, ValidationError, type ValidationIssue } from '@forge1/core';

/**
 * Reads a demand into a fresh object, each field once, so that a getter or Proxy of the caller
 * cannot answer the check one way and the pool another; anything thrown while reading is a
 * validation error.
 */
export function readDemand(demand: unknown): KeyDemand | ValidationError {
  if (typeof demand !== 'object' || demand === null) {
    return new ValidationError('key demand', [{ path: '', message: 'expected an object' }]);
  }
  try {
    const { provider, model, estTokens, tenantId, tier, signal, regions } = demand as KeyDemand;
    // Assigned rather than spread in: this runs on every acquire.
    const copy: KeyDemand = { provider, model, estTokens, tenantId, tier };
    if (signal !== undefined) copy.signal = signal;
    if (regions !== undefined) copy.regions = Array.isArray(regions) ? [...regions] : regions;
    return copy;
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.name : typeof thrown;
    return new ValidationError('key demand', [{ path: '', message: `could not be read (${reason})` }]);
  }
}

/**
 * Checks a demand without allocating when it is valid (it runs on every acquire).
 * Returns the error to throw, or undefined.
 */
export function checkDemand(
  demand: KeyDemand,
  tiers: ReadonlyMap<string, number>,
): ValidationError | undefined {
  if (typeof demand !== 'object' || demand === null) {
    return new ValidationError('key demand', [{ path: '', message: 'expected an object' }]);
  }
  const { provider, model, tenantId, estTokens, tier, regions } = demand;
  const tokensOk = typeof estTokens === 'number' && estTokens >= 0 && Number.isFinite(estTokens);
  const regionsOk = regions === undefined || regionsValid(regions);
  if (
    typeof provider === 'string' &&
    provider !== '' &&
    typeof model === 'string' &&
    model !== '' &&
    typeof tenantId === 'string' &&
    tenantId !== '' &&
    tokensOk &&
    regionsOk &&
    tiers.has(tier)
  ) {
    return undefined;
  }
  const issues: ValidationIssue[] = [];
  if (typeof provider !== 'string' || provider === '')
    issues.push({ path: 'provider', message: 'expected a provider name' });
  if (typeof model !== 'string' || model === '')
    issues.push({ path: 'model', message: 'expected a model id' });
  if (typeof tenantId !== 'string' || tenantId === '')
    issues.push({ path: 'tenantId', message: 'expected a tenant id' });
  if (!tokensOk) issues.push({ path: 'estTokens', message: 'expected a non-negative finite number' });
  if (!regionsOk) issues.push({ path: 'regions', message: 'expected a non-empty list of region names' });
  if (!tiers.has(tier))
    issues.push({ path: 'tier', message: `expected one of ${[...tiers.keys()].join(', ')}` });
  return new ValidationError('key demand', issues);
}

function regionsValid(regions: unknown): boolean {
  if (!Array.isArray(regions) || regions.length === 0) return false;
  for (const region of regions) if (typeof region !== 'string' || region === '') return false;
  return true;
}
