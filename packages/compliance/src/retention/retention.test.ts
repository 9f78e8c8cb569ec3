import { createTenantDirectory } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../audit/audit-entry.js';
import { createAuditStore } from '../audit/audit-store.js';
import { openSqliteAuditDatabase } from '../audit/sqlite-audit.js';
import { createRetention, type RetainedUsage } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

/** A usage store double that keeps what it was asked, with timestamps. */
function usageDouble(records: Array<{ tenantId: string; userId: string; timestamp: number }>): RetainedUsage {
  return {
    async purgeBefore(tenantId, before) {
      const cutoff = Number(before);
      const kept = records.filter((record) => record.tenantId !== tenantId || record.timestamp >= cutoff);
      const deleted = records.length - kept.length;
      records.splice(0, records.length, ...kept);
      return { deleted };
    },
    async pseudonymiseUser(tenantId, userId, pseudonym) {
      let changed = 0;
      for (const record of records) {
        if (record.tenantId === tenantId && record.userId === userId) {
          record.userId = pseudonym;
          changed++;
        }
      }
      return changed;
    },
  };
}

async function setup() {
  const tenants = createTenantDirectory({
    tenants: [
      {
        id: 'clinic',
        tier: 'standard',
        regions: ['eu'],
        compliance: { preset: 'healthcare', retentionDays: 30 },
      },
      { id: 'shop', tier: 'standard' },
    ],
  });
  const audit = createAuditStore({ database: openSqliteAuditDatabase(), clock: createFakeClock(NOW) });
  const records: Array<{ tenantId: string; userId: string; timestamp: number }> = [];
  for (const tenantId of ['clinic', 'shop']) {
    for (let day = 60; day >= 0; day -= 10) {
      const timestamp = NOW - day * DAY;
      records.push({ tenantId, userId: day % 20 ? 'ann' : 'bo', timestamp });
      await audit.append({
        tenantId,
        requestId: `${tenantId}-${day}`,
        timestamp,
        userId: day % 20 ? 'ann' : 'bo',
        requestHash: sha256(String(day)),
        outcome: 'ok',
      });
    }
  }
  return { tenants, audit, records };
}

describe('createRetention', () => {
  it('purges usage and audit entries older than each tenant’s retention, and leaves others alone', async () => {
    const { tenants, audit, records } = await setup();
    const retention = createRetention({
      tenants,
      usage: usageDouble(records),
      audit,
      clock: createFakeClock(NOW),
    });
    const reports = await retention.run();
    expect(reports).toEqual([
      { tenantId: 'clinic', retentionDays: 30, cutoff: NOW - 30 * DAY, usageRecords: 3, auditEntries: 3 },
    ]);
    expect(records.filter((record) => record.tenantId === 'shop')).toHaveLength(7);
    expect(await audit.verify('clinic')).toMatchObject({ ok: true, entries: 4 });
    expect(await audit.verify('shop')).toMatchObject({ ok: true, entries: 7 });
  });

  it('erases a user under one pseudonym in usage and audit, chains still verifying', async () => {
    const { tenants, audit, records } = await setup();
    const retention = createRetention({
      tenants,
      usage: usageDouble(records),
      audit,
      pseudonym: () => 'erased-1',
    });
    expect(await retention.eraseUser('clinic', 'ann')).toEqual({
      tenantId: 'clinic',
      pseudonym: 'erased-1',
      usageRecords: 3,
      auditEntries: 3,
    });
    expect(records.filter((record) => record.tenantId === 'clinic' && record.userId === 'ann')).toEqual([]);
    expect(records.filter((record) => record.tenantId === 'shop' && record.userId === 'ann')).toHaveLength(3);
    expect(await audit.verify('clinic')).toMatchObject({ ok: true });
    await expect(retention.eraseUser('clinic', 'bo', { pseudonym: 'bo' })).rejects.toMatchObject({
      code: 'validation_error',
    });
  });

  it('refuses options without tenants or stores', () => {
    expect(() => createRetention({} as never)).toThrow(/tenant directory/);
    expect(() => createRetention({ tenants: createTenantDirectory() })).toThrow(/usage, audit or both/);
  });
});
