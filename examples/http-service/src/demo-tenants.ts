import type { TenantPolicyInput } from '@forge1/core';
import type { TokenEntry } from './tokens.ts';

/** The tenants the service starts with when none are given: one per tier. */
export const demoTenants: TenantPolicyInput[] = [
  { id: 'acme-bank', name: 'Acme Bank', tier: 'enterprise', industry: 'finance' },
  { id: 'northwind-health', name: 'Northwind Health', tier: 'professional', industry: 'healthcare' },
  { id: 'pixel-labs', name: 'Pixel Labs', tier: 'standard', industry: 'tech', preference: 'cost' },
];

/**
 * Bearer tokens from `HTTP_SERVICE_TOKENS` (`token=tenant,sha256:<hash>=tenant`), so that no token
 * is ever written in the source or printed. An entry that starts with `sha256:` is the token's hash
 * (see `hashToken`), which is what a deployment should keep in its environment.
 */
export function tokensFromEnv(env: Record<string, string | undefined>): TokenEntry[] {
  return (env.HTTP_SERVICE_TOKENS ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes('='))
    .map((pair) => {
      const at = pair.lastIndexOf('=');
      return { value: pair.slice(0, at), tenantId: pair.slice(at + 1) };
    })
    .filter(({ value, tenantId }) => value.length > 0 && tenantId.length > 0)
    .map(({ value, tenantId }) =>
      value.startsWith('sha256:') ? { tokenHash: value, tenantId } : { token: value, tenantId },
    );
}
