export type {
  GroupLimits,
  KeyInput,
  KeySecretSource,
  TierAdmission,
} from './keys/key-options.js';
export { NoKeyInRegionError } from './keys/no-key-in-region-error.js';
export { createKeyPool } from './pool/key-pool.js';
export type { KeyPool, KeyPoolOptions, PoolKeyStats, PoolStats, ProviderStats } from './pool/pool-types.js';
export { createMemoryStateStore, type MemoryStateStoreOptions } from './store/memory-state-store.js';
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
} from './store/state-store.js';
