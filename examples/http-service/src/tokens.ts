import { createHash, timingSafeEqual } from 'node:crypto';
import { type Clock, type Secret, systemClock, ValidationError } from '@forge1/core';

/**
 * One API token as configured: the token itself (hashed at once and then forgotten) or its
 * SHA-256 (`sha256:<base64url>`, what a deployment should store), the tenant it belongs to, and
 * optionally the only client, user or employee it may speak for.
 */
export interface TokenEntry {
  token?: string | Secret;
  /** `sha256:<base64url of the SHA-256 of the token>`: the token is then never in the config at all. */
  tokenHash?: string;
  tenantId: string;
  scope?: { client?: string; user?: string; employee?: string };
  /** Epoch milliseconds after which the token no longer works. */
  expiresAt?: number;
}

/** A token the service knows: its hash, never the token. */
export interface KnownToken {
  /** A short, stable, non-secret id of the token (first characters of its hash), for limits and logs. */
  id: string;
  tenantId: string;
  scope: { client?: string; user?: string; employee?: string };
  expiresAt?: number;
}

/** What a presented token resolves to. */
export type TokenLookup = { ok: true; token: KnownToken } | { ok: false; reason: 'unknown' | 'expired' };

/** The service's tokens: hashed, compared in constant time, rotated with a grace period. */
export interface TokenRegistry {
  /** Looks a presented token up, comparing its hash with every known hash in constant time. */
  lookup(presented: string): TokenLookup;
  /** Adds a token. @throws ValidationError on an empty token, a bad hash or a duplicate. */
  add(entry: TokenEntry): KnownToken;
  /**
   * Replaces `current` with `next`: the new token works at once, the old one until `graceMs` from
   * now, so clients can move over without an outage.
   * @throws ValidationError when `current` is not a known token.
   */
  rotate(current: string, next: string | Secret, options?: { graceMs?: number }): KnownToken;
  /** Removes a token at once. True when it was known. */
  revoke(presented: string): boolean;
  /** How many tokens are configured. */
  readonly size: number;
}

const HASH_PREFIX = 'sha256:';

/** The form a deployment stores instead of the token: `sha256:<base64url>`. */
export function hashToken(token: string): string {
  return `${HASH_PREFIX}${createHash('sha256').update(token, 'utf8').digest('base64url')}`;
}

const reveal = (token: string | Secret) => (typeof token === 'string' ? token : token.reveal());

interface Stored extends KnownToken {
  digest: Buffer;
}

function digestOf(entry: TokenEntry, path: string): Buffer {
  if (entry.token !== undefined) {
    const value = reveal(entry.token);
    if (value.length < 16) {
      throw new ValidationError('http service tokens', [
        { path, message: 'a token must be at least 16 characters long' },
      ]);
    }
    return createHash('sha256').update(value, 'utf8').digest();
  }
  const hash = entry.tokenHash ?? '';
  const digest = hash.startsWith(HASH_PREFIX)
    ? Buffer.from(hash.slice(HASH_PREFIX.length), 'base64url')
    : undefined;
  if (digest?.length !== 32) {
    throw new ValidationError('http service tokens', [
      { path, message: 'expected `token`, or `tokenHash` as sha256:<base64url of 32 bytes>' },
    ]);
  }
  return digest;
}

/**
 * Creates the token registry. Tokens are held as SHA-256 digests only; a lookup hashes the
 * presented token and compares it with every stored digest with `timingSafeEqual`, without
 * stopping at the first match, so the time taken says nothing about which token was close.
 * @throws ValidationError on a bad entry.
 */
export function createTokenRegistry(
  entries: readonly TokenEntry[] = [],
  clock: Clock = systemClock,
): TokenRegistry {
  const stored: Stored[] = [];
  const find = (digest: Buffer): Stored | undefined => {
    let found: Stored | undefined;
    for (const candidate of stored)
      if (timingSafeEqual(candidate.digest, digest) && !found) found = candidate;
    return found;
  };
  const hashOf = (presented: string) => createHash('sha256').update(presented, 'utf8').digest();

  function add(entry: TokenEntry, path = `apiTokens.${stored.length}`): KnownToken {
    if (typeof entry?.tenantId !== 'string' || entry.tenantId.length === 0) {
      throw new ValidationError('http service tokens', [
        { path: `${path}.tenantId`, message: 'expected a tenant id' },
      ]);
    }
    const digest = digestOf(entry, path);
    if (find(digest)) {
      throw new ValidationError('http service tokens', [{ path, message: 'this token is configured twice' }]);
    }
    const token: Stored = {
      id: digest.toString('base64url').slice(0, 10),
      tenantId: entry.tenantId,
      scope: { ...entry.scope },
      ...(entry.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt }),
      digest,
    };
    stored.push(token);
    return publicView(token);
  }
  for (const [index, entry] of entries.entries()) add(entry, `apiTokens.${index}`);

  return {
    lookup(presented) {
      const token = find(hashOf(presented));
      if (!token) return { ok: false, reason: 'unknown' };
      if (token.expiresAt !== undefined && clock.now() >= token.expiresAt)
        return { ok: false, reason: 'expired' };
      return { ok: true, token: publicView(token) };
    },
    add: (entry) => add(entry),
    rotate(current, next, options = {}) {
      const old = find(hashOf(current));
      if (!old)
        throw new ValidationError('token rotation', [{ path: 'current', message: 'not a known token' }]);
      const added = add({
        token: next,
        tenantId: old.tenantId,
        scope: old.scope,
        ...(old.expiresAt === undefined ? {} : { expiresAt: old.expiresAt }),
      });
      const graceEnds = clock.now() + Math.max(0, options.graceMs ?? 0);
      old.expiresAt = old.expiresAt === undefined ? graceEnds : Math.min(old.expiresAt, graceEnds);
      return added;
    },
    revoke(presented) {
      const token = find(hashOf(presented));
      if (!token) return false;
      stored.splice(stored.indexOf(token), 1);
      return true;
    },
    get size() {
      return stored.length;
    },
  };
}

function publicView(token: Stored): KnownToken {
  return {
    id: token.id,
    tenantId: token.tenantId,
    scope: { ...token.scope },
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
  };
}
