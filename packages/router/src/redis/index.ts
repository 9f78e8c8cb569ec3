export {
  createRedisLearnerStore,
  type RedisLearnerClient,
  type RedisLearnerStoreOptions,
} from './redis-learner-store.js';
