import type { TenantPolicy } from '../tenancy.js';

/** Where tenant policies are kept. The memory store is the default; hosts bring their own database. */
export interface TenantStoreV1 {
  readonly specificationVersion: 'v1';
  get(id: string): Promise<TenantPolicy | undefined>;
  list(): Promise<TenantPolicy[]>;
  put(policy: TenantPolicy): Promise<void>;
  /** True when the tenant existed. */
  delete(id: string): Promise<boolean>;
}
