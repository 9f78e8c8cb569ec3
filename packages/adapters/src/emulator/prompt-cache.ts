import { hashString } from './random.js';

/** Shortest system prompt, in tokens, that the emulator caches (the providers' 1024-token minimum). */
export const minimumCachedTokens = 1024;

/** Remembers long system prompts per key and reports cached input tokens for repeats. */
export interface PromptCache {
  /** Cached input tokens of this request; remembers the prompt for the next one. */
  cachedTokens(keyHash: string, system: string, inputTokens: number): number;
  /**
   * An explicit breakpoint (Anthropic `cache_control`): a prefix of at least 1024 tokens is
   * written on first sight and read on the next request of the same key.
   */
  explicit(keyHash: string, prefix: string, prefixTokens: number): { read: number; write: number };
}

/**
 * A system prompt of at least 1024 tokens seen before on the same key is reported as cached,
 * in whole blocks of 128 tokens (OpenAI's increment), never more than the request's input.
 * Remembers up to `capacity` prompts, then starts over.
 */
export function createPromptCache(capacity = 10_000): PromptCache {
  const seen = new Set<string>();
  return {
    cachedTokens(keyHash, system, inputTokens) {
      const systemTokens = Math.ceil(system.length / 4);
      if (systemTokens < minimumCachedTokens) return 0;
      const id = `${keyHash}:${system.length}:${hashString(system)}`;
      if (seen.has(id)) return Math.min(inputTokens, Math.floor(systemTokens / 128) * 128);
      if (seen.size >= capacity) seen.clear();
      seen.add(id);
      return 0;
    },
    explicit(keyHash, prefix, prefixTokens) {
      if (prefixTokens < minimumCachedTokens) return { read: 0, write: 0 };
      const id = `${keyHash}:breakpoint:${prefix.length}:${hashString(prefix)}`;
      if (seen.has(id)) return { read: prefixTokens, write: 0 };
      if (seen.size >= capacity) seen.clear();
      seen.add(id);
      return { read: 0, write: prefixTokens };
    },
  };
}
