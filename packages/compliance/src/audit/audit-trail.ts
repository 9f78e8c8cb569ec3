import {
  asInputError,
  type Clock,
  ErrorCode,
  expectObject,
  type GatewayMiddleware,
  type MiddlewareContext,
  type RequestContext,
  type RequestOutcome,
  readOptions,
  StoreUnavailableError,
  systemClock,
  type TenantPolicy,
  toForge1Error,
  ValidationError,
} from '@forge1/core';
import { type CompliancePreset, compliancePresets, resolveCompliance } from '../presets/presets.js';
import type { RedactionCounts } from '../redaction/redact.js';
import { type AuditInput, canonicalJson, sha256 } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';

/** Options of {@link createAuditTrail}. */
export interface AuditTrailOptions {
  store: AuditStore;
  /** The redactor of the same gateway, whose counts go into each entry. */
  redactor?: { countsOf(context: RequestContext): RedactionCounts | undefined };
  /**
   * Which tenants are audited: every one, or those whose policy (or preset) turns `audit` on.
   * @default 'always'
   */
  tenants?: 'always' | 'policy';
  /** Presets a policy may name. @default compliancePresets */
  presets?: Readonly<Record<string, CompliancePreset>>;
  clock?: Clock;
}

/** Per-request state of the audit middleware. */
export type AuditTrailState = {
  requestHash: string | undefined;
};

/**
 * Gateway middleware that writes one audit entry per request: request id, tenant, user, time,
 * SHA-256 of the normalised request (as this middleware receives it: list it first to hash
 * what the caller sent) and of the answer the caller receives, the outcome, the route's level,
 * provider and model, the key id that served it and the redaction counts. The entry is
 * committed before the caller gets the answer; when the store fails, the request fails with
 * `store_unavailable` rather than going unaudited.
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const redactor = createRedactor({ detectors: { email: 'tokenize' } });
 * const audit = createAuditTrail({ store: createAuditStore({ database }), redactor });
 * const gateway = createGateway({ ...wiring, middleware: [audit, redactor] });
 * ```
 */
export function createAuditTrail(input: AuditTrailOptions): GatewayMiddleware<AuditTrailState> {
  const options = readOptions(input, 'createAuditTrail');
  if (!options.store || typeof options.store.append !== 'function') {
    throw new ValidationError('audit trail options', [{ path: 'store', message: 'expected an audit store' }]);
  }
  const { store, redactor } = options;
  const clock = options.clock ?? systemClock;
  const presets = options.presets ?? compliancePresets;
  const audited = (policy: TenantPolicy) =>
    options.tenants !== 'policy' || resolveCompliance(policy, presets).audit;

  /** The entry of a request that ended, or undefined when it is not audited. */
  const entryOf = (outcome: RequestOutcome, scope: MiddlewareContext<AuditTrailState>) => {
    const { requestHash } = scope.state;
    if (requestHash === undefined) return undefined;
    const { context } = scope;
    const entry: AuditInput = {
      tenantId: scope.tenantId,
      requestId: scope.requestId,
      timestamp: clock.now(),
      ...(context.userId === undefined ? {} : { userId: context.userId }),
      requestHash,
      outcome: outcome.ok ? 'ok' : outcome.error.code === ErrorCode.contentBlocked ? 'blocked' : 'error',
      redactions: redactor?.countsOf(context) ?? {},
    };
    if (outcome.ok) {
      const { result } = outcome;
      const served = [...result.attempts].reverse().find((attempt) => attempt.ok);
      Object.assign(entry, {
        answerHash: sha256(canonicalJson({ text: result.text, toolCalls: result.toolCalls })),
        level: result.decision.level,
        provider: result.provider,
        model: result.model,
        ...(served?.keyId === undefined ? {} : { keyId: served.keyId }),
      });
    } else {
      const { decision } = scope;
      Object.assign(entry, {
        errorCode: outcome.error.code,
        ...(decision ? { level: decision.level, provider: decision.provider, model: decision.model } : {}),
      });
    }
    return entry;
  };

  return {
    name: 'compliance.audit',
    createState: () => ({ requestHash: undefined }),
    transformRequest(request, scope) {
      expectObject(request, 'auditTrail.transformRequest', 'request');
      expectObject(scope, 'auditTrail.transformRequest', 'context');
      try {
        if (audited(scope.policy)) scope.state.requestHash = sha256(canonicalJson(request));
        return undefined;
      } catch (thrown) {
        throw asInputError(thrown, 'auditTrail.transformRequest');
      }
    },
    async onResult(outcome, scope) {
      expectObject(outcome, 'auditTrail.onResult', 'outcome');
      expectObject(scope, 'auditTrail.onResult', 'context');
      let entry: AuditInput | undefined;
      try {
        entry = entryOf(outcome, scope);
      } catch (thrown) {
        throw asInputError(thrown, 'auditTrail.onResult');
      }
      if (entry === undefined) return undefined;
      try {
        await store.append(entry);
      } catch (error) {
        throw new StoreUnavailableError('the audit entry could not be written', {
          cause: toForge1Error(error),
          store: 'audit',
          tenantId: scope.tenantId,
        });
      }
      return undefined;
    },
  };
}
