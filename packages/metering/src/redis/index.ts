export { type RedisCommandClient, RedisUnavailableError } from './redis-connection.js';
export { createRedisCounterStore, type RedisCounterStoreOptions } from './redis-counter-store.js';
