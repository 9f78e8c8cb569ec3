import { createHash } from 'node:crypto';
import type { Secret } from '@forge1/core';

/** Caches one SDK client per key. */
export interface ClientCache<Client> {
  /** The client for this key, built on first use. */
  get(apiKey: Secret, keyId?: string): Client;
  /** Number of cached clients. */
  size(): number;
  /** Forgets every client. */
  clear(): void;
}

/** Options of {@link createClientCache}. */
export interface ClientCacheOptions<Client> {
  /** Builds a client for a revealed key. */
  build(apiKey: string, keyId: string | undefined): Client;
  /** Most clients kept; the least recently used is dropped beyond it. @default 256 */
  maxClients?: number;
}

// The cache key never holds the secret itself: a rotated secret under the same key id
// gets its own client, and a heap dump shows only a hash prefix. A Secret's value never changes,
// so its fingerprint is hashed once per Secret, not once per call.
const fingerprints = new WeakMap<Secret, string>();
const fingerprint = (apiKey: Secret) => {
  let known = fingerprints.get(apiKey);
  if (known === undefined) {
    known = createHash('sha256').update(apiKey.reveal()).digest('hex').slice(0, 24);
    fingerprints.set(apiKey, known);
  }
  return known;
};

/** Creates a {@link ClientCache} keyed by key id and a fingerprint of the secret. */
export function createClientCache<Client>(options: ClientCacheOptions<Client>): ClientCache<Client> {
  const maxClients = options.maxClients ?? 256;
  const clients = new Map<string, Client>();
  // The key of the latest lookup: a host with one key (or a run of calls on the same key) finds
  // its client without building the cache key or reordering the map, which already has it last.
  let last: { apiKey: Secret; keyId: string | undefined; client: Client } | undefined;
  return {
    get(apiKey, keyId) {
      if (last !== undefined && last.apiKey === apiKey && last.keyId === keyId) return last.client;
      const cacheKey = `${keyId ?? ''}\u0000${fingerprint(apiKey)}`;
      const cached = clients.get(cacheKey);
      if (cached !== undefined) {
        clients.delete(cacheKey);
        clients.set(cacheKey, cached);
        last = { apiKey, keyId, client: cached };
        return cached;
      }
      const client = options.build(apiKey.reveal(), keyId);
      clients.set(cacheKey, client);
      if (clients.size > maxClients) {
        const oldest = clients.keys().next().value;
        if (oldest !== undefined) clients.delete(oldest);
      }
      last = clients.has(cacheKey) ? { apiKey, keyId, client } : undefined;
      return client;
    },
    size: () => clients.size,
    clear: () => {
      clients.clear();
      last = undefined;
    },
  };
}
