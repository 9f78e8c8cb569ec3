export {
  createRedisConnection,
  type LuaScript,
  luaScript,
  type RedisClientLike,
  type RedisConnection,
  type RedisConnectionOptions,
  RedisUnavailableError,
} from './redis-connection.js';
