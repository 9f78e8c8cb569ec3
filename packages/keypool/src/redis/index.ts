export { type RedisClientLike, RedisUnavailableError } from './redis-client.js';
export {
  createRedisStateStore,
  type RedisStateStore,
} from './redis-state-store.js';
export type { RedisStateStoreOptions } from './redis-state-store-options.js';
