import { ClosedError } from '@forge1/core';
import type { UsageDatabase } from '../sql/usage-database.js';

// kysely's own words when a query runs on a destroyed database.
const DESTROYED = /driver has already been destroyed/;

/**
 * Wraps every method of a store so that a call after its database was closed rejects with a
 * `ClosedError` (code `closed`) instead of the driver's plain Error.
 */
export function refuseAfterClose<T extends object>(store: T, database: UsageDatabase, name: string): T {
  const guarded = { ...store } as Record<string, unknown>;
  for (const [key, value] of Object.entries(store)) {
    if (typeof value !== 'function') continue;
    guarded[key] = async (...args: unknown[]) => {
      if (database.closed) throw new ClosedError(name);
      try {
        return await (value as (...parameters: unknown[]) => Promise<unknown>).apply(store, args);
      } catch (error) {
        if (error instanceof Error && DESTROYED.test(error.message)) throw new ClosedError(name);
        throw error;
      }
    };
  }
  return guarded as T;
}
