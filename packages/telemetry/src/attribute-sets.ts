import type { Attributes } from '@opentelemetry/api';

/** Up to six values that pick a set (a tenant, a level, a model…); the values left out are `undefined`. */
export type AttributePath = [unknown?, unknown?, unknown?, unknown?, unknown?, unknown?];

/**
 * Frozen values (attribute sets, or small records of them) found by the values they were built
 * from, through nested maps: a request looks up the same few sets again and again, and no key
 * string, path array or new set is built per lookup. Frozen, a shared set can never be changed
 * by a record.
 */
export interface AttributeSets<P extends AttributePath, T extends object = Attributes> {
  /** The value for `path`, built from it the first time. */
  get(...path: P): T;
}

const deeper = (node: Map<unknown, unknown>, key: unknown): Map<unknown, unknown> => {
  let next = node.get(key) as Map<unknown, unknown> | undefined;
  if (next === undefined) {
    next = new Map();
    node.set(key, next);
  }
  return next;
};

/**
 * Creates {@link AttributeSets} whose values `build` makes from their path; they start over once
 * they hold `maxSets` values. The path has as many levels as `build` declares parameters (at
 * least one, at most six), and the lookup takes its values as arguments, never as an array.
 */
export function createAttributeSets<P extends AttributePath, T extends object = Attributes>(
  build: (...path: P) => T,
  maxSets = 4096,
): AttributeSets<P, T> {
  let root = new Map<unknown, unknown>();
  let size = 0;
  const make = build as (...path: AttributePath) => T;
  const depth = Math.min(Math.max(build.length, 1), 6);
  const get = (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): T => {
    let leaf = root;
    let key = a;
    if (depth > 1) {
      leaf = deeper(leaf, key);
      key = b;
    }
    if (depth > 2) {
      leaf = deeper(leaf, key);
      key = c;
    }
    if (depth > 3) {
      leaf = deeper(leaf, key);
      key = d;
    }
    if (depth > 4) {
      leaf = deeper(leaf, key);
      key = e;
    }
    if (depth > 5) {
      leaf = deeper(leaf, key);
      key = f;
    }
    const known = leaf.get(key) as T | undefined;
    if (known !== undefined) return known;
    if (size >= maxSets) {
      root = new Map();
      size = 0;
      return get(a, b, c, d, e, f);
    }
    const built = Object.freeze(make(a, b, c, d, e, f));
    leaf.set(key, built);
    size++;
    return built;
  };
  return { get: get as (...path: P) => T };
}
