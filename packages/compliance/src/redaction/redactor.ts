import {
  type ChatChunk,
  type ChatRequest,
  type ChunkOutput,
  ConfigurationError,
  ContentBlockedError,
  type EventBus,
  expectObject,
  type GatewayMiddleware,
  type MiddlewareContext,
  type RequestContext,
  type RequestOutcome,
  readingCaller,
  readOptions,
  type TenantPolicy,
  ValidationError,
} from '@forge1/core';
import {
  type ComplianceDefaults,
  type CompliancePreset,
  compliancePresets,
  type ResolvedCompliance,
  resolveCompliance,
} from '../presets/presets.js';
import { checkDetectorName, type Detector, patternDetector } from './detector.js';
import { type RedactionCounts, type RedactionMode, redactRequest, requestTexts } from './redact.js';
import { builtInDetector, builtInDetectorNames, createScanner, type Scanner } from './scanner.js';
import { createStreamRestorer, createVault, type StreamRestorer, type Vault } from './vault.js';

declare module '@forge1/core' {
  interface Forge1Events {
    /** A request's texts were scanned: counts by detector name (never the values), and what blocked it. */
    'compliance.redacted': {
      requestId: string;
      tenantId: string;
      counts: Record<string, number>;
      blocked: string[];
    };
  }
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Detector name to action for every tenant; a tenant's preset and policy override it. */
  detectors?: Record<string, RedactionMode | 'off'>;
  /** Host detectors by name: a RegExp or a {@link Detector}. They take precedence over built-ins where they overlap. */
  patterns?: Record<string, RegExp | Detector>;
  /** Presets a policy may name. @default compliancePresets */
  presets?: Readonly<Record<string, CompliancePreset>>;
  /** Receives `compliance.redacted`. */
  events?: EventBus;
}

/** Per-request state of the redactor. */
export type RedactorState = {
  vault: Vault | undefined;
  text: StreamRestorer | undefined;
  tools: Map<number, StreamRestorer>;
};

/** The redaction middleware, which also tells other middleware (the audit trail) what it found. */
export interface Redactor extends GatewayMiddleware<RedactorState> {
  /** Counts of the request with this context, once `transformRequest` ran. */
  countsOf(context: RequestContext): RedactionCounts | undefined;
}

interface Plan {
  compliance: ResolvedCompliance;
  modes: Map<string, RedactionMode>;
  scanner: Scanner;
}

const builtIns = new Set<string>(builtInDetectorNames);

/**
 * Gateway middleware that scans every text of a request before any provider call and masks,
 * tokenizes or blocks what its detectors find, per tenant: host defaults, then the tenant's
 * preset, then its policy's `compliance.detectors`. Tokenized values are restored in the
 * answer, in streamed chunks (also when a placeholder is split across chunks) and in tool-call
 * arguments. Counts per detector go to usage records (`redacted.<name>`) and the
 * `compliance.redacted` event; values never leave the request.
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const redactor = createRedactor({ detectors: { email: 'tokenize', paymentCard: 'block', secret: 'mask' } });
 * const gateway = createGateway({ ...wiring, middleware: [redactor] });
 * ```
 */
export function createRedactor(input: RedactorOptions = {}): Redactor {
  const options = readOptions(input, 'createRedactor');
  const presets = options.presets ?? compliancePresets;
  const custom = new Map<string, Detector>();
  for (const [name, pattern] of Object.entries(options.patterns ?? {})) {
    checkDetectorName(name, `patterns.${name}`);
    if (builtIns.has(name)) {
      throw new ValidationError('redactor options', [
        { path: `patterns.${name}`, message: 'is a built-in detector name' },
      ]);
    }
    custom.set(
      name,
      pattern instanceof RegExp ? patternDetector(name, pattern) : checkDetector(name, pattern),
    );
  }
  const defaults: ComplianceDefaults = options.detectors ? { detectors: options.detectors } : {};
  for (const [name, action] of Object.entries(options.detectors ?? {})) {
    checkDetectorName(name, `detectors.${name}`);
    if (!['mask', 'tokenize', 'block', 'off'].includes(action)) {
      throw new ValidationError('redactor options', [
        { path: `detectors.${name}`, message: "expected 'mask', 'tokenize', 'block' or 'off'" },
      ]);
    }
  }
  const plans = new WeakMap<TenantPolicy, Plan>();
  const counts = new WeakMap<RequestContext, RedactionCounts>();

  const planFor = (policy: TenantPolicy): Plan => {
    let plan = plans.get(policy);
    if (plan) return plan;
    const compliance = resolveCompliance(policy, presets, defaults);
    const modes = new Map(Object.entries(compliance.detectors));
    const unknown = [...modes.keys()].filter((name) => !builtIns.has(name) && !custom.has(name));
    if (unknown.length > 0) {
      throw new ConfigurationError(`no detector named ${unknown.join(', ')} (tenant "${policy.id}")`, {
        tenantId: policy.id,
        issues: unknown.map((name) => ({
          path: `compliance.detectors.${name}`,
          message: 'unknown detector',
        })),
      });
    }
    const detectors = [
      ...[...custom.values()].filter((detector) => modes.has(detector.name)),
      ...builtInDetectorNames.filter((name) => modes.has(name)).map(builtInDetector),
    ];
    plan = { compliance, modes, scanner: createScanner(detectors) };
    plans.set(policy, plan);
    return plan;
  };

  const restorerFor = (state: RedactorState, index: number) => {
    let restorer = state.tools.get(index);
    if (!restorer) {
      restorer = createStreamRestorer(state.vault!, { json: true });
      state.tools.set(index, restorer);
    }
    return restorer;
  };

  const heldTools = (state: RedactorState): ChatChunk[] => {
    const chunks: ChatChunk[] = [];
    for (const [index, restorer] of state.tools) {
      const rest = restorer.flush();
      if (rest) chunks.push({ type: 'tool-call-delta', index, argumentsDelta: rest });
    }
    return chunks;
  };

  const redactIn = (request: ChatRequest, scope: MiddlewareContext<RedactorState>) => {
    const plan = planFor(scope.policy);
    if (plan.compliance.requireRegions && scope.policy.regions === null) {
      throw new ConfigurationError(
        `tenant "${scope.tenantId}" uses the ${plan.compliance.preset} preset, which requires data-residency regions`,
        { tenantId: scope.tenantId, issues: [{ path: 'regions', message: 'required by the preset' }] },
      );
    }
    if (plan.modes.size === 0) return undefined;
    let original: string | undefined;
    const vault = createVault((placeholder) => {
      original ??= requestTexts(request).join('\n');
      return original.includes(placeholder);
    });
    const outcome = redactRequest(request, plan.scanner, plan.modes, vault);
    counts.set(scope.context, outcome.counts);
    const kinds = Object.keys(outcome.counts);
    if (kinds.length > 0) {
      for (const kind of kinds) scope.annotate(`redacted.${kind}`, outcome.counts[kind]!);
      options.events?.emit('compliance.redacted', {
        requestId: scope.requestId,
        tenantId: scope.tenantId,
        counts: outcome.counts,
        blocked: outcome.blocked,
      });
    }
    if (outcome.blocked.length > 0) {
      throw new ContentBlockedError(`request refused: it contains ${outcome.blocked.join(', ')}`, {
        kinds: outcome.blocked,
        tenantId: scope.tenantId,
      });
    }
    if (vault.size > 0) {
      scope.state.vault = vault;
      scope.state.text = createStreamRestorer(vault);
    }
    return outcome.value;
  };

  const restoreChunk = (chunk: ChatChunk, state: RedactorState): ChunkOutput => {
    if (!state.vault) return undefined;
    if (chunk.type === 'text-delta') {
      const text = state.text!.push(chunk.text);
      return text === '' ? [] : { ...chunk, text };
    }
    if (chunk.type === 'tool-call-delta') {
      return { ...chunk, argumentsDelta: restorerFor(state, chunk.index).push(chunk.argumentsDelta) };
    }
    if (chunk.type === 'tool-call') {
      const toolCall = { ...chunk.toolCall, arguments: state.vault.restoreJson(chunk.toolCall.arguments) };
      return [...heldTools(state), { ...chunk, toolCall }];
    }
    return undefined;
  };

  const restoreResult = (outcome: RequestOutcome, state: RedactorState) => {
    const vault = state.vault;
    if (!outcome.ok || !vault) return undefined;
    const { result } = outcome;
    return {
      ...result,
      text: vault.restore(result.text),
      toolCalls: result.toolCalls.map((call) => ({
        ...call,
        arguments: vault.restoreJson(call.arguments),
      })),
    };
  };

  return {
    name: 'compliance.redactor',
    createState: () => ({ vault: undefined, text: undefined, tools: new Map() }),
    countsOf: (context) => counts.get(context),
    transformRequest(request, scope: MiddlewareContext<RedactorState>) {
      expectObject(request, 'redactor.transformRequest', 'request');
      expectObject(scope, 'redactor.transformRequest', 'context');
      return readingCaller('redactor.transformRequest', () => redactIn(request, scope));
    },
    transformChunk(chunk, scope) {
      expectObject(chunk, 'redactor.transformChunk', 'chunk');
      expectObject(scope, 'redactor.transformChunk', 'context');
      return readingCaller('redactor.transformChunk', () => restoreChunk(chunk, scope.state));
    },
    flush(scope) {
      expectObject(scope, 'redactor.flush', 'context');
      return readingCaller('redactor.flush', () => {
        const { state } = scope;
        if (!state.vault) return undefined;
        const text = state.text!.flush();
        return [...(text ? [{ type: 'text-delta' as const, text }] : []), ...heldTools(state)];
      });
    },
    onResult(outcome, scope) {
      expectObject(outcome, 'redactor.onResult', 'outcome');
      expectObject(scope, 'redactor.onResult', 'context');
      return readingCaller('redactor.onResult', () => restoreResult(outcome, scope.state));
    },
  };
}

function checkDetector(name: string, detector: Detector): Detector {
  if (typeof detector !== 'object' || detector === null || typeof detector.find !== 'function') {
    throw new ValidationError('redactor options', [
      { path: `patterns.${name}`, message: 'expected a RegExp or a detector with find()' },
    ]);
  }
  if (detector.name !== name) {
    throw new ValidationError('redactor options', [
      { path: `patterns.${name}`, message: `the detector is named "${detector.name}"` },
    ]);
  }
  return detector;
}
