export type {
  GroupLimits,
  KeyInput,
  KeySecretSource,
  TierAdmission,
} from './key-options.js';
export { createKeyPool } from './key-pool.js';
export { createMemoryStateStore, type MemoryStateStoreOptions } from './memory-state-store.js';
export { NoKeyInRegionError } from './no-key-in-region-error.js';
export type { KeyPool, KeyPoolOptions, PoolKeyStats, PoolStats, ProviderStats } from './pool-types.js';
export type {
  Awaitable,
  BucketSpec,
  BucketUnit,
  KeyCandidate,
  KeyState,
  SettleRequest,
  StateStoreV1,
  TakeRequest,
  TakeResult,
} from './state-store.js';
