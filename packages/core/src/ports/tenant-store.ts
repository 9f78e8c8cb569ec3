import type { TenantPolicy } from '../tenancy.js';

/** Where tenant policies are kept. The memory store is the default; hosts bring their own database. */
export interface TenantStoreV1 {
  readonly specificationVersion: 'v1';
  /** The policy, or undefined. */
  get(id: string): Promise<TenantPolicy | undefined>;
  /** Every policy. */
  list(): Promise<TenantPolicy[]>;
  /** Creates or replaces a policy (already validated by the directory). */
  put(policy: TenantPolicy): Promise<void>;
  /** True when the tenant existed. */
  delete(id: string): Promise<boolean>;
}
