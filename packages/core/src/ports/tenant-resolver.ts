import type { TenantPolicy } from '../tenancy.js';

/** Where the gateway finds tenant policies: a `TenantDirectory` or anything with `resolve`. */
export interface TenantResolver {
  /** @throws UnknownTenantError */
  resolve(tenantId: string): Promise<TenantPolicy>;
}
