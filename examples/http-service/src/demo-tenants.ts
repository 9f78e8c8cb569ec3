import type { TenantPolicyInput } from '@forge1/core';

/** The tenants the service starts with when none are given: one per tier. */
export const demoTenants: TenantPolicyInput[] = [
  { id: 'acme-bank', name: 'Acme Bank', tier: 'enterprise', industry: 'finance' },
  { id: 'northwind-health', name: 'Northwind Health', tier: 'professional', industry: 'healthcare' },
  { id: 'pixel-labs', name: 'Pixel Labs', tier: 'standard', industry: 'tech', preference: 'cost' },
];

/**
 * Bearer tokens from `HTTP_SERVICE_TOKENS` (`token=tenant,token=tenant`), so that no token is
 * ever written in the source or printed.
 */
export function tokensFromEnv(
  env: Record<string, string | undefined>,
): Array<{ token: string; tenantId: string }> {
  return (env.HTTP_SERVICE_TOKENS ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes('='))
    .map((pair) => {
      const at = pair.lastIndexOf('=');
      return { token: pair.slice(0, at), tenantId: pair.slice(at + 1) };
    })
    .filter(({ token, tenantId }) => token.length > 0 && tenantId.length > 0);
}
