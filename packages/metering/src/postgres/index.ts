export {
  openPostgresUsageDatabase,
  type PostgresPoolLike,
  type PostgresUsageDatabaseOptions,
} from './postgres-database.js';
export { createPostgresSink, type PostgresSinkOptions } from './postgres-sink.js';
