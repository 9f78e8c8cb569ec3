export type {
  AuditDatabase,
  AuditDialect,
  AuditHeadRow,
  AuditRow,
  AuditTables,
} from './audit/audit-database.js';
export {
  type AuditEntry,
  type AuditHead,
  type AuditInput,
  type AuditOutcome,
  canonicalJson,
  genesisHash,
  sha256,
} from './audit/audit-entry.js';
export {
  type AuditPurgeResult,
  type AuditStore,
  type AuditStoreOptions,
  createAuditStore,
} from './audit/audit-store.js';
export { type AuditTrailOptions, type AuditTrailState, createAuditTrail } from './audit/audit-trail.js';
export { openSqliteAuditDatabase, type SqliteAuditDatabaseOptions } from './audit/sqlite-audit.js';
export {
  type AuditFault,
  type AuditProblem,
  type AuditVerification,
  type VerifyOptions,
  verifyAuditLog,
} from './audit/verify.js';
export {
  type ComplianceDefaults,
  type CompliancePreset,
  compliancePresets,
  type ResolvedCompliance,
  resolveCompliance,
  withPreset,
} from './presets/presets.js';
export {
  type Detector,
  type FoundValue,
  type PatternDetectorOptions,
  patternDetector,
} from './redaction/detector.js';
export {
  mapRequestTexts,
  type RedactionCounts,
  type RedactionMode,
  type RedactionOutcome,
  redactRequest,
  requestTexts,
} from './redaction/redact.js';
export {
  createRedactor,
  type Redactor,
  type RedactorOptions,
  type RedactorState,
} from './redaction/redactor.js';
export {
  type BuiltInDetectorName,
  builtInDetector,
  builtInDetectorNames,
  createScanner,
  type Finding,
  type Scanner,
} from './redaction/scanner.js';
export { type SecretDetectorOptions, secretDetector } from './redaction/secret-detector.js';
export { createStreamRestorer, createVault, type StreamRestorer, type Vault } from './redaction/vault.js';
export {
  createRetention,
  type ErasureReport,
  type RetainedUsage,
  type Retention,
  type RetentionOptions,
  type RetentionReport,
} from './retention/retention.js';
