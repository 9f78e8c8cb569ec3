import type { PoolKey } from '../keys/pool-key.js';
import { isLendable } from '../keys/pool-key.js';
import type { PoolKeyStats } from './pool-types.js';

/** The state a key is in for stats. */
function stateOf(key: PoolKey, now: number): PoolKeyStats['state'] {
  if (key.state === 'retired' || key.state === 'draining') return key.state;
  if (key.disabled) return 'disabled';
  return key.cooldownUntil > now ? 'cooling' : 'active';
}

/** Figures of one key; never its secret. */
export function keyStats(key: PoolKey, now: number): PoolKeyStats {
  const { config } = key;
  return {
    keyId: config.id,
    provider: config.provider,
    state: stateOf(key, now),
    role: config.role,
    inFlight: key.inFlight,
    utilisation: key.usage.utilisation(now, key.rpm, key.tpm),
    ...(key.cooldownUntil > now ? { cooldownUntil: key.cooldownUntil } : {}),
    requests: key.requests,
    rateLimited: key.rateLimited,
    errors: key.errors,
    ...(config.group === undefined ? {} : { group: config.group }),
    limits: {
      rpm: key.rpm,
      tpm: key.tpm,
      ...(config.rpd === undefined ? {} : { rpd: config.rpd }),
      ...(config.maxConcurrent === undefined ? {} : { maxConcurrent: config.maxConcurrent }),
    },
  };
}

/** Mean utilisation of the keys that serve as active keys now (not backup, retired or disabled). */
export function meanUtilisation(keys: readonly PoolKey[], now: number): number {
  let total = 0;
  let count = 0;
  for (const key of keys) {
    if (!isLendable(key) || key.config.role !== 'active') continue;
    total += key.usage.utilisation(now, key.rpm, key.tpm);
    count++;
  }
  return count === 0 ? 0 : total / count;
}
