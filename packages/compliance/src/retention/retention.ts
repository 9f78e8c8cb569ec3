import { randomBytes } from 'node:crypto';
import { type Clock, readOptions, systemClock, type TenantPolicy, ValidationError } from '@forge1/core';
import type { AuditStore } from '../audit/audit-store.js';
import { type CompliancePreset, compliancePresets, resolveCompliance } from '../presets/presets.js';

const DAY = 86_400_000;

/**
 * The retention and erasure calls of a usage store, typed structurally (`@forge1/metering`'s
 * `createUsageStore` has them) so that this package does not depend on metering.
 */
export interface RetainedUsage {
  purgeBefore(tenantId: string, before: Date | number): Promise<{ deleted: number }>;
  pseudonymiseUser(tenantId: string, userId: string, pseudonym: string): Promise<number>;
}

/** Options of {@link createRetention}. */
export interface RetentionOptions {
  /** The tenants, with their policies (a core `TenantDirectory`). */
  tenants: { list(): Promise<TenantPolicy[]> };
  usage?: RetainedUsage;
  audit?: AuditStore;
  /** Presets a policy may name. @default compliancePresets */
  presets?: Readonly<Record<string, CompliancePreset>>;
  clock?: Clock;
  /** Makes pseudonyms. @default `erased-` and 16 random hex digits */
  pseudonym?: () => string;
}

/** What one tenant's retention pass removed. */
export interface RetentionReport {
  tenantId: string;
  retentionDays: number;
  /** Everything older than this (epoch ms) was purged. */
  cutoff: number;
  usageRecords: number;
  auditEntries: number;
}

/** What erasing one user changed. */
export interface ErasureReport {
  tenantId: string;
  pseudonym: string;
  usageRecords: number;
  auditEntries: number;
}

/** Per-tenant retention of usage records and audit entries, and erasure of one user. */
export interface Retention {
  /** Purges, for every tenant with `retentionDays` (its own or its preset's), what is older. */
  run(): Promise<RetentionReport[]>;
  /** Replaces a user id by one pseudonym in usage records and audit entries; audit chains stay verifiable. */
  eraseUser(tenantId: string, userId: string, options?: { pseudonym?: string }): Promise<ErasureReport>;
}

/**
 * Retention and erasure over a usage store and an audit store. Usage purges keep per-period
 * invoice totals (the usage store's rollups); audit purges cut each chain at a sequence number
 * and record the new base in its head, so the rest verifies.
 * @throws ValidationError without tenants, or with neither usage nor audit.
 * @example
 * ```ts
 * const retention = createRetention({ tenants, usage: createUsageStore({ database }), audit });
 * setInterval(() => void retention.run(), 86_400_000);
 * await retention.eraseUser('acme', 'user-42');
 * ```
 */
export function createRetention(input: RetentionOptions): Retention {
  const options = readOptions(input, 'createRetention');
  if (!options.tenants || typeof options.tenants.list !== 'function') {
    throw new ValidationError('retention options', [
      { path: 'tenants', message: 'expected a tenant directory' },
    ]);
  }
  if (!options.usage && !options.audit) {
    throw new ValidationError('retention options', [{ path: 'usage', message: 'give usage, audit or both' }]);
  }
  const { usage, audit, tenants } = options;
  const clock = options.clock ?? systemClock;
  const presets = options.presets ?? compliancePresets;
  const pseudonym = options.pseudonym ?? (() => `erased-${randomBytes(8).toString('hex')}`);

  return {
    async run() {
      const reports: RetentionReport[] = [];
      for (const policy of await tenants.list()) {
        const { retentionDays } = resolveCompliance(policy, presets);
        if (retentionDays === null) continue;
        const cutoff = clock.now() - retentionDays * DAY;
        const usageRecords = usage ? (await usage.purgeBefore(policy.id, cutoff)).deleted : 0;
        const auditEntries = audit ? (await audit.purgeBefore(policy.id, cutoff)).deleted : 0;
        reports.push({ tenantId: policy.id, retentionDays, cutoff, usageRecords, auditEntries });
      }
      return reports;
    },
    async eraseUser(tenantId, userId, input = {}) {
      const eraseOptions = readOptions(input, 'retention.eraseUser');
      const name = eraseOptions.pseudonym ?? pseudonym();
      if (name === userId) {
        throw new ValidationError('user erasure', [
          { path: 'pseudonym', message: 'must differ from the user id' },
        ]);
      }
      const usageRecords = usage ? await usage.pseudonymiseUser(tenantId, userId, name) : 0;
      const auditEntries = audit ? await audit.eraseUser(tenantId, userId, name) : 0;
      return { tenantId, pseudonym: name, usageRecords, auditEntries };
    },
  };
}
