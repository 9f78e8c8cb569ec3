// Examples of docs/concepts/metering-and-budgets.md and docs/guides/metering.md. Typechecked, not run.
import { billingPeriod, createEventBus, type UsageRecord } from '@forge1/core';
import {
  createGuard,
  createJsonlSink,
  createMeter,
  createSqliteSink,
  createUsageStore,
  createWebhookSink,
  verifyWebhookSignature,
  webhookSignatureHeader,
  webhookTimestampHeader,
} from '@forge1/metering';

declare const record: UsageRecord;
declare const rawBody: string;
declare const headers: Record<string, string | undefined>;

// --- a meter with three sinks: SQLite for queries, JSONL files for the data lake, a webhook for billing
const events = createEventBus();
const sqlite = createSqliteSink({ path: './data/usage.db' });
const meter = createMeter({
  sinks: [
    sqlite,
    createJsonlSink({ directory: './data/usage-jsonl', maxBytes: 64 * 1024 * 1024 }),
    createWebhookSink({
      url: 'https://billing.example.com/usage',
      secret: process.env.USAGE_HOOK_SECRET ?? 'dev-secret',
    }),
  ],
  journal: { directory: './data/journal', sync: true },
  batchSize: 500,
  flushIntervalMs: 1_000,
  events,
});
await meter.ready();
events.on('sink.error', ({ sink, attempt, errorCode }) =>
  console.warn(`sink ${sink} failed (${errorCode}), try ${attempt}`),
);

// The gateway calls record() for every attempt that consumed tokens; it resolves once the record is on disk.
await meter.record(record);

// --- health
const health = meter.stats();
console.log(health.committed, health.buffered, health.journalBytes);
for (const sink of health.sinks) console.log(sink.name, sink.lag, sink.failures);

// --- tenant-scoped queries
const usage = createUsageStore({ database: sqlite.database });
const march = { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 3, 1) };
console.log(await usage.totals('acme', march));
console.log(await usage.usageBy('acme', 'employee', march)); // also 'model', 'provider', 'user', 'client', 'day', 'level', 'period'
console.log(await usage.spend('acme', '2026-03'));
console.log(await usage.modelShare('acme', march)); // small versus standard/advanced models
console.log(await usage.topUsers('acme', { range: march, limit: 5, by: 'costMicros' }));
const csv = await usage.exportTenant('acme', 'csv', march);
console.log(csv.split('\n').length);
console.log(await usage.adminSummary(march)); // the one cross-tenant call: for operators

// --- an invoice preview: 20 % markup, a plan with a fee and an allowance
const invoice = await usage.invoicePreview('acme', billingPeriod(Date.now()), {
  markup: 0.2,
  plan: { name: 'pro', baseFeeMicros: 49_000_000, allowanceMicros: 10_000_000 },
});
for (const line of invoice.lines) console.log(line.model, line.requests, line.costMicros, line.amountMicros);
console.log(invoice.usageMicros, invoice.overageMicros, invoice.totalMicros);

// --- the guard: quotas and budgets before any provider call
const guard = createGuard({ usage, events });
await meter.flush(); // so that the guard's seed sees records still in the journal
await guard.seed();
console.log(await guard.usage('acme')); // { day, period, requestsToday, spentMicros, settledMicros, tokens }
events.on('budget.alert', ({ tenantId, threshold, spentMicros, budgetMicros }) =>
  console.log(`${tenantId} spent ${spentMicros} of ${budgetMicros} µ$ (${threshold * 100} %)`),
);

// --- receiving the webhook
if (
  !verifyWebhookSignature({
    body: rawBody,
    signature: headers[webhookSignatureHeader],
    timestamp: headers[webhookTimestampHeader],
    secret: process.env.USAGE_HOOK_SECRET ?? 'dev-secret',
  })
) {
  throw new Error('bad signature');
}
const { records } = JSON.parse(rawBody) as { records: UsageRecord[] };
console.log(records.length); // store each record id once: a batch may arrive twice

await meter.close();
