import {
  ConfigurationError,
  type RedactionAction,
  type TenantCompliance,
  type TenantPolicy,
  type TenantPolicyInput,
} from '@forge1/core';
import type { RedactionMode } from '../redaction/redact.js';

/**
 * A named bundle of technical controls for an industry. It claims no certification: it sets
 * redaction actions, the audit trail, residency and retention, which an assessment may count
 * towards a programme (HIPAA, PCI DSS, GDPR, SOX), never replace.
 */
export interface CompliancePreset {
  /** What each detector does; detectors not listed are off. */
  detectors: Readonly<Record<string, RedactionMode>>;
  /** Whether requests are written to the audit trail. */
  audit: boolean;
  /** Whether the tenant must have `regions` set: requests of an unpinned tenant are refused. */
  requireRegions: boolean;
  /** Days usage records and audit entries are kept, or null to keep them. */
  retentionDays: number | null;
}

/** The built-in presets. */
export const compliancePresets: Readonly<Record<string, CompliancePreset>> = Object.freeze({
  healthcare: {
    // Identifiers that make health data identifiable are tokenized so answers can still use them.
    detectors: {
      email: 'tokenize',
      phone: 'tokenize',
      ssn: 'tokenize',
      ip: 'tokenize',
      iban: 'mask',
      paymentCard: 'mask',
      secret: 'mask',
    },
    audit: true,
    requireRegions: true,
    retentionDays: 2190,
  },
  finance: {
    detectors: {
      paymentCard: 'block',
      iban: 'tokenize',
      ssn: 'tokenize',
      email: 'mask',
      phone: 'mask',
      secret: 'block',
    },
    audit: true,
    requireRegions: false,
    retentionDays: 2555,
  },
  gdpr: {
    detectors: {
      email: 'tokenize',
      phone: 'tokenize',
      ip: 'tokenize',
      iban: 'tokenize',
      paymentCard: 'mask',
      ssn: 'mask',
      secret: 'mask',
    },
    audit: true,
    requireRegions: true,
    retentionDays: 365,
  },
});

/** A tenant's compliance settings after its preset and overrides are applied. */
export interface ResolvedCompliance {
  preset: string | null;
  /** Detector name to action; `off` detectors are absent. */
  detectors: Record<string, RedactionMode>;
  audit: boolean;
  requireRegions: boolean;
  retentionDays: number | null;
}

/** What applies to tenants whose policy has no compliance section. */
export interface ComplianceDefaults {
  /** Detector actions for every tenant, under a preset's and the policy's own. */
  detectors?: Record<string, RedactionMode | 'off'>;
  /** @default false */
  audit?: boolean;
}

/**
 * Resolves a tenant's compliance: the host's defaults, then the policy's preset, then the
 * policy's own `detectors`, `audit` and `retentionDays`; an action `off` removes a detector.
 * @throws ConfigurationError when the policy names a preset that does not exist.
 */
export function resolveCompliance(
  policy: Pick<TenantPolicy, 'id' | 'compliance'>,
  presets: Readonly<Record<string, CompliancePreset>> = compliancePresets,
  defaults: ComplianceDefaults = {},
): ResolvedCompliance {
  const section: TenantCompliance = policy.compliance ?? {};
  const preset = section.preset === undefined ? undefined : presets[section.preset];
  if (section.preset !== undefined && !preset) {
    throw new ConfigurationError(
      `tenant "${policy.id}" names the unknown compliance preset "${section.preset}"`,
      {
        tenantId: policy.id,
        issues: [{ path: 'compliance.preset', message: `known presets: ${Object.keys(presets).join(', ')}` }],
      },
    );
  }
  const merged: Record<string, RedactionAction> = {
    ...defaults.detectors,
    ...preset?.detectors,
    ...section.detectors,
  };
  const detectors: Record<string, RedactionMode> = {};
  for (const [name, action] of Object.entries(merged)) if (action !== 'off') detectors[name] = action;
  return {
    preset: section.preset ?? null,
    detectors,
    audit: section.audit ?? preset?.audit ?? defaults.audit ?? false,
    requireRegions: preset?.requireRegions ?? false,
    retentionDays: section.retentionDays ?? preset?.retentionDays ?? null,
  };
}

/**
 * A tenant policy input with a preset applied, for creating tenants: sets `compliance.preset`
 * (keeping any overrides already there) and, when given, the residency `regions`.
 * @example
 * ```ts
 * await tenants.create(withPreset({ id: 'clinic', tier: 'professional' }, 'healthcare', { regions: ['eu'] }));
 * ```
 */
export function withPreset(
  input: TenantPolicyInput,
  preset: string,
  options: { regions?: string[] } = {},
): TenantPolicyInput {
  return {
    ...input,
    ...(options.regions ? { regions: options.regions } : {}),
    compliance: { ...input.compliance, preset },
  };
}
