export {
  type AuditPostgresPool,
  openPostgresAuditDatabase,
  type PostgresAuditDatabaseOptions,
} from './postgres-audit.js';
