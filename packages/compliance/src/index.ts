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
  genesisHash,
} from './audit/audit-entry.js';
export {
  type AuditPurgeResult,
  type AuditStore,
  type AuditStoreOptions,
  createAuditStore,
} from './audit/audit-store.js';
export { type AuditTrailOptions, type AuditTrailState, createAuditTrail } from './audit/audit-trail.js';
export { openSqliteAuditDatabase, type SqliteAuditDatabaseOptions } from './audit/sqlite-audit.js';
export type {
  AuditFault,
  AuditProblem,
  AuditVerification,
  VerifyOptions,
} from './audit/verify.js';
export {
  canonicalJson,
  mapRequestTexts,
  redactRequest,
  requestTexts,
  resolveCompliance,
  sha256,
  verifyAuditLog,
  withPreset,
} from './checked-exports.js';
export {
  type ComplianceDefaults,
  type CompliancePreset,
  compliancePresets,
  type ResolvedCompliance,
} from './presets/presets.js';
export {
  type Detector,
  type FoundValue,
  type PatternDetectorOptions,
  patternDetector,
} from './redaction/detector.js';
export type {
  RedactionCounts,
  RedactionMode,
  RedactionOutcome,
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
