import type { TenantDirectory, TenantPolicy } from '@forge1/core';

/**
 * A tenant directory that keeps resolved policies in memory, dropped on every change made
 * through it. The memory store clones a policy on every read; this service resolves the
 * tenant of every request, and its tenants change only through this directory.
 */
export function cacheTenants(directory: TenantDirectory): TenantDirectory {
  const policies = new Map<string, TenantPolicy>();
  const changed = <T>(id: string, result: Promise<T>) =>
    result.finally(() => {
      policies.delete(id);
    });
  return {
    ...directory,
    async resolve(id) {
      const cached = policies.get(id);
      if (cached) return cached;
      const policy = await directory.resolve(id);
      policies.set(id, Object.freeze(policy));
      return policy;
    },
    create: (input) => changed(input.id, directory.create(input)),
    update: (id, patch) => changed(id, directory.update(id, patch)),
    remove: (id) => changed(id, directory.remove(id)),
  };
}
