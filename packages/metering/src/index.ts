export { readSinkBatch, rowToRecord } from './checked-exports.js';
export {
  type CounterChange,
  type CounterReservation,
  createMemoryCounterStore,
  type GuardCounterStore,
  type MemoryCounterStoreOptions,
  type ReserveResult,
} from './guard/counter-store.js';
export { createGuard, type Guard, type GuardOptions, type GuardUsage } from './guard/guard.js';
export { createMeter, type Meter, type MeterStats, type SinkStats } from './meter.js';
export type { JournalOptions, MeterOptions, SinkRetryOptions } from './meter-options.js';
export { createJsonlSink, type JsonlSink, type JsonlSinkOptions } from './sinks/jsonl-sink.js';
export { createMemorySink, type MemorySink, type MemorySinkOptions } from './sinks/memory-sink.js';
export {
  createSqliteSink,
  createSqlSink,
  type SqliteSinkOptions,
  type SqlSink,
  type SqlSinkOptions,
} from './sinks/sql-sink.js';
export {
  createWebhookSink,
  defaultWebhookToleranceMs,
  signWebhookBody,
  verifyWebhookSignature,
  type WebhookSinkOptions,
  type WebhookVerification,
  webhookSignatureHeader,
  webhookTimestampHeader,
} from './sinks/webhook-sink.js';
export {
  type NodeSqliteDatabase,
  type NodeSqliteStatement,
  openSqliteUsageDatabase,
  type SqliteUsageDatabaseOptions,
  type SqliteValue,
  toKyselySqlite,
} from './sql/sqlite-database.js';
export { type UsageCounts, usageCounts } from './sql/usage-counts.js';
export type { UsageDatabase, UsageDialect, UsageTables } from './sql/usage-database.js';
export { type UsageRow, usageColumns } from './sql/usage-row.js';
export {
  type InvoiceLine,
  type InvoiceOptions,
  type InvoicePlan,
  type InvoicePreview,
  type LineUsage,
  priceInvoice,
} from './store/invoice.js';
export type { PurgeResult, RollupLine } from './store/retention.js';
export {
  createUsageStore,
  type FullUsageTotals,
  type ModelShare,
  type ModelShareBucket,
  type TopUsersOptions,
  type UsageStore,
  type UsageStoreOptions,
  unattributedKey,
} from './store/usage-store.js';
