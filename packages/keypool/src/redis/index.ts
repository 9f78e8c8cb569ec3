export { type RedisClientLike, RedisUnavailableError } from '@forge1/core/redis';
export {
  createRedisStateStore,
  type RedisStateStore,
} from './redis-state-store.js';
export type { RedisStateStoreOptions } from './redis-state-store-options.js';
