export {
  openPostgresUsageDatabase,
  type PostgresPoolLike,
  type PostgresUsageDatabaseOptions,
} from './postgres-database.js';
