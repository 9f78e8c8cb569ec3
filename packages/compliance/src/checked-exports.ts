// The public, checked versions of the package's pure helpers. The package index exports these
// under the helpers' own names; the redactor and the audit trail call the unchecked ones, on
// values they built themselves.
import {
  asInputError,
  type ChatRequest,
  expectFunction,
  expectObject,
  expectString,
  readUntrusted,
  type TenantPolicy,
  type TenantPolicyInput,
} from '@forge1/core';
import {
  type AuditEntry,
  type AuditHead,
  canonicalJson as canonicalJsonUnchecked,
  sha256 as sha256Unchecked,
} from './audit/audit-entry.js';
import {
  type AuditVerification,
  type VerifyOptions,
  verifyAuditLog as verifyAuditLogUnchecked,
} from './audit/verify.js';
import {
  type ComplianceDefaults,
  type CompliancePreset,
  compliancePresets,
  type ResolvedCompliance,
  resolveCompliance as resolveComplianceUnchecked,
  withPreset as withPresetUnchecked,
} from './presets/presets.js';
import {
  mapRequestTexts as mapRequestTextsUnchecked,
  type RedactionMode,
  type RedactionOutcome,
  redactRequest as redactRequestUnchecked,
  requestTexts as requestTextsUnchecked,
} from './redaction/redact.js';
import type { Scanner } from './redaction/scanner.js';
import type { Vault } from './redaction/vault.js';

/**
 * SHA-256 of text, hex.
 * @throws ValidationError when `text` is not a string.
 */
export function sha256(text: string): string {
  expectString(text, 'sha256', 'text');
  return sha256Unchecked(text);
}

/**
 * JSON with object keys sorted at every level: the same value always gives the same text.
 * @throws ValidationError for a value JSON cannot hold (a bigint, a cycle) or that cannot be read.
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonicalJsonUnchecked(readUntrusted(value, 'canonicalJson value'));
  } catch (thrown) {
    throw asInputError(thrown, 'canonicalJson');
  }
}

/**
 * Checks a tenant's chain, oldest first: every entry's hash, its link to the one before, the
 * sequence without gaps from the head's base, each user id against its digest (erased users
 * excepted), and the last entry against the head. Names the first bad entry.
 * @throws ValidationError when `entries` is not an iterable of entries or `head` not a head.
 * @example
 * ```ts
 * const result = verifyAuditLog(await store.entries('acme'), await store.head('acme'));
 * if (!result.ok) alert(`audit chain broken at #${result.fault.seq}: ${result.fault.problem}`);
 * ```
 */
export function verifyAuditLog(
  entries: Iterable<AuditEntry>,
  head: AuditHead,
  options: VerifyOptions = {},
): AuditVerification {
  expectObject(head, 'verifyAuditLog', 'head');
  expectObject(options, 'verifyAuditLog', 'options');
  try {
    expectFunction(
      (entries as Partial<Iterable<AuditEntry>>)?.[Symbol.iterator],
      'verifyAuditLog',
      'entries',
    );
    return verifyAuditLogUnchecked(entries, head, options);
  } catch (thrown) {
    throw asInputError(thrown, 'verifyAuditLog');
  }
}

/**
 * Resolves a tenant's compliance: the host's defaults, then the policy's preset, then the
 * policy's own `detectors`, `audit` and `retentionDays`; an action `off` removes a detector.
 * @throws ConfigurationError when the policy names a preset that does not exist; ValidationError
 * when an argument is not an object.
 */
export function resolveCompliance(
  policy: Pick<TenantPolicy, 'id' | 'compliance'>,
  presets: Readonly<Record<string, CompliancePreset>> = compliancePresets,
  defaults: ComplianceDefaults = {},
): ResolvedCompliance {
  expectObject(policy, 'resolveCompliance', 'policy');
  expectObject(presets, 'resolveCompliance', 'presets');
  expectObject(defaults, 'resolveCompliance', 'defaults');
  try {
    return resolveComplianceUnchecked(
      readUntrusted(policy, 'resolveCompliance policy'),
      readUntrusted(presets, 'resolveCompliance presets'),
      readUntrusted(defaults, 'resolveCompliance defaults'),
    );
  } catch (thrown) {
    throw asInputError(thrown, 'resolveCompliance');
  }
}

/**
 * A tenant policy input with a preset applied, for creating tenants: sets `compliance.preset`
 * (and `regions` when given); the tenant directory validates the result.
 * @throws ValidationError when `input` or `options` is not an object or `preset` not a string.
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
  expectObject(input, 'withPreset', 'input');
  expectString(preset, 'withPreset', 'preset');
  expectObject(options, 'withPreset', 'options');
  try {
    return withPresetUnchecked(
      readUntrusted(input, 'withPreset input'),
      preset,
      readUntrusted(options, 'withPreset options'),
    );
  } catch (thrown) {
    throw asInputError(thrown, 'withPreset');
  }
}

/** Throws unless `request` is an object whose `messages` is an array. */
function expectRequest(request: unknown, fn: string): asserts request is ChatRequest {
  expectObject(request, fn, 'request');
  if (!Array.isArray(request.messages)) {
    expectObject(undefined, fn, 'request.messages');
  }
}

/** Runs `work` on a checked snapshot of `request`; whatever it throws names `fn`. */
function withRequest<T>(request: unknown, fn: string, work: (snapshot: ChatRequest) => T): T {
  try {
    const snapshot = readUntrusted(request, `${fn} request`);
    expectRequest(snapshot, fn);
    return work(snapshot);
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/**
 * Every text of a request that goes to a provider, rewritten by `map` (contents, text parts,
 * tool-call arguments).
 * @throws ValidationError when `request` is not a chat request or `map` not a function.
 */
export function mapRequestTexts(request: ChatRequest, map: (text: string) => string): ChatRequest {
  expectFunction(map, 'mapRequestTexts', 'map');
  return withRequest(request, 'mapRequestTexts', (snapshot) => mapRequestTextsUnchecked(snapshot, map));
}

/**
 * The texts of a request, in the order {@link mapRequestTexts} visits them.
 * @throws ValidationError when `request` is not a chat request.
 */
export function requestTexts(request: ChatRequest): string[] {
  return withRequest(request, 'requestTexts', requestTextsUnchecked);
}

/**
 * Scans every text of a request and replaces what it finds: `mask` by `[REDACTED_KIND]`,
 * `tokenize` by a placeholder kept in `vault`. Findings of a `block` detector are reported in
 * `blocked`; the caller refuses the request (its value is masked as well, never sent).
 * @throws ValidationError when an argument is not of its documented kind.
 */
export function redactRequest(
  request: ChatRequest,
  scanner: Scanner,
  modes: ReadonlyMap<string, RedactionMode>,
  vault: Vault,
): RedactionOutcome<ChatRequest> {
  expectObject(scanner, 'redactRequest', 'scanner');
  if (!(modes instanceof Map)) expectObject(undefined, 'redactRequest', 'modes');
  expectObject(vault, 'redactRequest', 'vault');
  try {
    expectFunction(scanner.scan, 'redactRequest', 'scanner.scan');
  } catch (thrown) {
    throw asInputError(thrown, 'redactRequest');
  }
  return withRequest(request, 'redactRequest', (snapshot) =>
    redactRequestUnchecked(snapshot, scanner, modes, vault),
  );
}
