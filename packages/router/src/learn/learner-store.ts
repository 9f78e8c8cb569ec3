/** Increments of a tenant's weights by field: `n` observations, `b` bias, `d<i>` dense, `h<slot>` hashed. */
export type WeightIncrements = ReadonlyMap<string, number>;

/**
 * Where tenants' learned weights live, so that processes learn together. Updates are increments,
 * which commute: N processes adding their own steps end with the same weights in any order.
 */
export interface LearnerStore {
  /** Adds the increments to a tenant's weights. */
  add(tenantId: string, increments: WeightIncrements): void | Promise<void>;
  /** A tenant's weights, or undefined when it has none. */
  read(tenantId: string): WeightIncrements | undefined | Promise<WeightIncrements | undefined>;
}

/**
 * A learner store in this process's memory; share one instance between routers of a process.
 * @example
 * ```ts
 * const store = createMemoryLearnerStore();
 * const a = createRouter({ learner: { store } });
 * const b = createRouter({ learner: { store } }); // learns from a's feedback too
 * ```
 */
export function createMemoryLearnerStore(): LearnerStore {
  const tenants = new Map<string, Map<string, number>>();
  return {
    add(tenantId, increments) {
      let fields = tenants.get(tenantId);
      if (!fields) {
        fields = new Map();
        tenants.set(tenantId, fields);
      }
      for (const [field, value] of increments) fields.set(field, (fields.get(field) ?? 0) + value);
    },
    read: (tenantId) => {
      const fields = tenants.get(tenantId);
      return fields ? new Map(fields) : undefined;
    },
  };
}
