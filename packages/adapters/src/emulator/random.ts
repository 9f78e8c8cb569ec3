import { createHash } from 'node:crypto';

/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

/** 32-bit FNV-1a hash of a string: cheap, stable, good enough to seed answers. */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Mulberry32: a small, fast, seeded PRNG. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The emulator's identity for an API key: the first 16 hex digits of its SHA-256.
 * Keys are stored and reported only in this form, never as values.
 * @example
 * ```ts
 * emulator.counters.byKeyHash()[hashApiKey('sk-test')]?.requests;
 * ```
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/** Picks one element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
