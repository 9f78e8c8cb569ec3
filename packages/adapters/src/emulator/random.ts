import { createHash } from 'node:crypto';
import { createSeededRandom, expectString } from '@forge1/core';

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

/** The emulator's seeded generator: core's mulberry32. */
export const createRandom: (seed: number) => Random = createSeededRandom;

/**
 * The emulator's identity for an API key: the first 16 hex digits of its SHA-256.
 * Keys are stored and reported only in this form, never as values.
 * @example
 * ```ts
 * emulator.counters.byKeyHash()[hashApiKey('sk-test')]?.requests;
 * ```
 */
export function hashApiKey(apiKey: string): string {
  expectString(apiKey, 'hashApiKey', 'apiKey');
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/** Picks one element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
