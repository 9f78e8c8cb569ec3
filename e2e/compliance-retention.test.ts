import { createAuditStore, createRetention, openSqliteAuditDatabase, sha256 } from '@forge1/compliance';
import { createTenantDirectory } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { createSqliteSink, createUsageStore } from '@forge1/metering';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { describe, expect, it } from 'vitest';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 3, 1);

// Retention and erasure over metering's real usage store and the audit trail together.
describe('retention and erasure across usage records and the audit trail', () => {
  it('purges by the tenant’s retention, keeps its invoices exact and its chain verifiable, and erases a user in both', async () => {
    const tenants = createTenantDirectory({
      tenants: [
        { id: 'acme', tier: 'standard', compliance: { retentionDays: 45 } },
        { id: 'globex', tier: 'standard' },
      ],
    });
    const records = sampleUsageRecords(3000, {
      start: Date.UTC(2026, 0, 1),
      stepMs: 40 * 60_000,
      tenants: ['acme', 'globex'],
    });
    const sink = createSqliteSink();
    await sink.init();
    await sink.write(records);
    const usage = createUsageStore({ database: sink.database });
    const audit = createAuditStore({ database: openSqliteAuditDatabase(), clock: createFakeClock(NOW) });
    for (const record of records.filter((item) => item.attempt === 1).slice(0, 400)) {
      await audit.append({
        tenantId: record.tenantId,
        requestId: record.requestId,
        timestamp: record.timestamp,
        ...(record.userId ? { userId: record.userId } : {}),
        requestHash: sha256(record.requestId),
        outcome: 'ok',
        model: record.model,
      });
    }
    const januaryBefore = await usage.invoicePreview('acme', '2026-01', { markup: 0.2 });
    const retention = createRetention({
      tenants,
      usage,
      audit,
      clock: createFakeClock(NOW),
      pseudonym: () => 'erased-0001',
    });

    const [report] = await retention.run();
    expect(report).toMatchObject({ tenantId: 'acme', retentionDays: 45, cutoff: NOW - 45 * DAY });
    expect(report!.usageRecords).toBeGreaterThan(0);
    expect(report!.auditEntries).toBeGreaterThan(0);
    expect(await usage.invoicePreview('acme', '2026-01', { markup: 0.2 })).toEqual(januaryBefore);
    expect(await audit.verify('acme')).toMatchObject({ ok: true });
    const kept = JSON.parse(await usage.exportTenant('acme', 'json')) as Array<{ timestamp: number }>;
    expect(kept.every((record) => record.timestamp >= NOW - 45 * DAY)).toBe(true);

    const user = records.find((record) => record.tenantId === 'globex' && record.userId)!.userId!;
    const erased = await retention.eraseUser('globex', user);
    expect(erased.usageRecords).toBeGreaterThan(0);
    expect(erased.auditEntries).toBeGreaterThan(0);
    expect(await usage.exportTenant('globex', 'json')).not.toContain(`"${user}"`);
    expect(await audit.exportTenant('globex')).not.toContain(`"${user}"`);
    expect(await audit.verify('globex')).toMatchObject({ ok: true });
    await sink.close();
    await audit.close();
  });
});
