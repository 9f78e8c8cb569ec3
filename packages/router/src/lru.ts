/** A map that keeps at most `limit` entries, dropping the least recently used. */
export interface Lru<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): boolean;
  readonly size: number;
}

/**
 * Creates an {@link Lru} on a `Map` (whose insertion order is the recency order).
 * @example
 * ```ts
 * const recent = createLru<string, number>(2);
 * recent.set('a', 1); recent.set('b', 2); recent.set('c', 3); // 'a' is dropped
 * ```
 */
export function createLru<K, V>(limit: number): Lru<K, V> {
  const map = new Map<K, V>();
  return {
    get(key) {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      while (map.size > limit) map.delete(map.keys().next().value as K);
    },
    delete: (key) => map.delete(key),
    get size() {
      return map.size;
    },
  };
}
