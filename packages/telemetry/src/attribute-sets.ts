import type { Attributes } from '@opentelemetry/api';

/**
 * Frozen attribute sets found by the values they were built from, through nested maps: a
 * request looks up the same few sets again and again, and neither a key string nor a new
 * attribute object is built per lookup. Frozen, a shared set can never be changed by a record.
 */
export interface AttributeSets {
  /** The set for `path` (a tenant, a level, a model…), built by `build` the first time. */
  get(path: readonly unknown[], build: () => Attributes): Attributes;
}

/** Creates {@link AttributeSets} that start over once they hold `maxSets` sets. */
export function createAttributeSets(maxSets = 4096): AttributeSets {
  let root = new Map<unknown, unknown>();
  let size = 0;
  return {
    get(path, build) {
      let node = root;
      const last = path.length - 1;
      for (let i = 0; i < last; i++) {
        let next = node.get(path[i]) as Map<unknown, unknown> | undefined;
        if (next === undefined) {
          next = new Map();
          node.set(path[i], next);
        }
        node = next;
      }
      const known = node.get(path[last]) as Attributes | undefined;
      if (known !== undefined) return known;
      if (size >= maxSets) {
        root = new Map();
        size = 0;
        return this.get(path, build);
      }
      const built = Object.freeze(build());
      node.set(path[last], built);
      size++;
      return built;
    },
  };
}
