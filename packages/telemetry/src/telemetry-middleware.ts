import type {
  AttemptOutcome,
  ChatRequest,
  GatewayMiddleware,
  GatewayResult,
  MiddlewareAttempt,
  MiddlewareContext,
} from '@forge1/core';
import { asInputError, expectFunction, expectObject, readOptions, toForge1Error } from '@forge1/core';
import {
  context,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  chatOperation,
  Forge1Attributes as F,
  GenAiAttributes as G,
  genAiProviderName,
} from './attributes.js';
import {
  finishReasonName,
  inputMessages,
  outputMessages,
  type Redactor,
  redactCredentials,
} from './content.js';
import { instrumentationScope } from './scope.js';

/** Options of {@link telemetryMiddleware}. */
export interface TelemetryMiddlewareOptions {
  /** Where spans go. @default the global tracer provider of `@opentelemetry/api` */
  tracerProvider?: TracerProvider;
  /**
   * Records the prompt (`gen_ai.input.messages`) and the answers (`gen_ai.output.messages`), each
   * text passed through `redact` first. Off by default: no prompt or answer text in any span.
   * @default false
   */
  captureContent?: boolean;
  /** Applied to every captured text. @default redactCredentials (credential shapes only) */
  redact?: Redactor;
  /** Milliseconds from a monotonic origin, for the time to first chunk. @default performance.now */
  now?: () => number;
}

/** Per-request state of the middleware. */
export interface TelemetryState {
  span?: Span;
  routed?: boolean;
  attemptStartedAt?: number;
  firstChunk?: boolean;
}

// The API's own span when no tracer provider is registered: it records nothing and carries the
// invalid span context (an SDK's span, even one sampled out, has a valid trace id).
const isNoopSpan = (span: Span) => !span.isRecording() && !isSpanContextValid(span.spanContext());

// Marks a failed span with the error code only: messages may quote provider answers.
const end = (span: Span, error?: { code: string }) => {
  if (error) {
    span.setAttribute(G.errorType, error.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
  }
  span.end();
};

/**
 * A gateway middleware that traces each request as a CLIENT span `chat {model}` and each provider
 * attempt (answers and judge calls) as a child CLIENT span, with the OpenTelemetry GenAI
 * attributes (semantic conventions v1.41.0) and Forge1's under `forge1.*`. The attempt span is the
 * active span while the provider is called, so HTTP instrumentation nests under it. No secret is
 * ever recorded (key ids only); prompt and answer text only with `captureContent`, redacted.
 * @example
 * ```ts
 * const gateway = createGateway({ …, middleware: [telemetryMiddleware({ tracerProvider })] });
 * ```
 */
export function telemetryMiddleware(
  input: TelemetryMiddlewareOptions = {},
): GatewayMiddleware<TelemetryState> {
  const options = readOptions(input, 'telemetryMiddleware');
  const tracer: Tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    instrumentationScope,
  );
  const now = options.now ?? (() => performance.now());
  const redact = options.redact ?? redactCredentials;
  const capture = options.captureContent === true;

  function startRequest(scope: MiddlewareContext<TelemetryState>, request?: ChatRequest): Span {
    const span = tracer.startSpan(chatOperation, { kind: SpanKind.CLIENT }, context.active());
    if (!span.isRecording()) return span;
    span
      .setAttribute(G.operationName, chatOperation)
      .setAttribute(F.requestId, scope.requestId)
      .setAttribute(F.tenant, scope.tenantId)
      .setAttribute(F.tier, scope.policy.tier);
    if (scope.mode === 'stream') span.setAttribute(G.requestStream, true);
    if (scope.context.sessionId !== undefined) span.setAttribute(G.conversationId, scope.context.sessionId);
    if (request) {
      if (request.maxTokens !== undefined) span.setAttribute(G.requestMaxTokens, request.maxTokens);
      if (request.temperature !== undefined) span.setAttribute(G.requestTemperature, request.temperature);
      if (request.stop?.length) span.setAttribute(G.requestStopSequences, request.stop.map(redact));
      if (request.responseFormat) span.setAttribute(G.outputType, request.responseFormat.type);
      if (capture) span.setAttribute(G.inputMessages, inputMessages(request.messages, redact));
    }
    return span;
  }

  function routed(span: Span, scope: MiddlewareContext<TelemetryState>) {
    const decision = scope.decision;
    if (!decision) return;
    scope.state.routed = true;
    span.updateName(`${chatOperation} ${decision.model}`);
    span
      .setAttribute(G.requestModel, decision.model)
      .setAttribute(G.providerName, genAiProviderName(decision.provider))
      .setAttribute(F.level, decision.level)
      .setAttribute(F.score, decision.score);
  }

  // The request span, started late when an earlier middleware refused in transformRequest, and
  // named after the model once the router has decided.
  function requestSpan(scope: MiddlewareContext<TelemetryState>): Span {
    scope.state.span ??= startRequest(scope);
    const span = scope.state.span;
    if (!scope.state.routed && span.isRecording()) routed(span, scope);
    return span;
  }

  function attemptEnded(span: Span, outcome: AttemptOutcome, captureAnswer: boolean) {
    if (!span.isRecording()) return;
    const { usage, result } = outcome;
    span
      .setAttribute(G.usageInputTokens, usage.inputTokens)
      .setAttribute(G.usageOutputTokens, usage.outputTokens)
      .setAttribute(F.costMicros, outcome.costMicros);
    if (usage.cachedInputTokens) span.setAttribute(G.usageCacheReadInputTokens, usage.cachedInputTokens);
    if (outcome.keyId !== undefined) span.setAttribute(F.keyId, outcome.keyId);
    if (outcome.queueWaitMs !== undefined) span.setAttribute(F.queueWaitMs, outcome.queueWaitMs);
    if (outcome.finishReason) {
      span.setAttribute(G.responseFinishReasons, [finishReasonName(outcome.finishReason)]);
    }
    if (result) {
      span.setAttribute(G.responseModel, result.model);
      if (result.providerRequestId) span.setAttribute(G.responseId, result.providerRequestId);
      if (captureAnswer) span.setAttribute(G.outputMessages, outputMessages(result, redact));
    }
  }

  function requestEnded(span: Span, result: GatewayResult) {
    if (!span.isRecording()) return;
    const usage = result.totalUsage;
    span
      .setAttribute(G.providerName, genAiProviderName(result.provider))
      .setAttribute(G.responseModel, result.model)
      .setAttribute(G.responseFinishReasons, [finishReasonName(result.finishReason)])
      .setAttribute(G.usageInputTokens, usage.inputTokens)
      .setAttribute(G.usageOutputTokens, usage.outputTokens)
      .setAttribute(F.level, result.level)
      .setAttribute(F.score, result.decision.score)
      .setAttribute(F.cascaded, result.cascaded)
      .setAttribute(F.fallback, result.fellBack)
      .setAttribute(F.attempts, result.attempts.length)
      .setAttribute(F.costMicros, result.costMicros);
    if (usage.cachedInputTokens) span.setAttribute(G.usageCacheReadInputTokens, usage.cachedInputTokens);
    if (result.providerRequestId) span.setAttribute(G.responseId, result.providerRequestId);
    if (capture) span.setAttribute(G.outputMessages, outputMessages(result, redact));
  }

  /** The attempt's span, a child of the request's, with the attempt's attributes. */
  function startAttempt(attempt: MiddlewareAttempt, scope: MiddlewareContext<TelemetryState>) {
    const parent = requestSpan(scope);
    const parentContext = trace.setSpan(context.active(), parent);
    const span = tracer.startSpan(
      `${chatOperation} ${attempt.model}`,
      { kind: SpanKind.CLIENT },
      parentContext,
    );
    if (span.isRecording()) {
      span
        .setAttribute(G.operationName, chatOperation)
        .setAttribute(G.providerName, genAiProviderName(attempt.provider))
        .setAttribute(G.requestModel, attempt.model)
        .setAttribute(F.requestId, scope.requestId)
        .setAttribute(F.tenant, scope.tenantId)
        .setAttribute(F.attempt, attempt.attempt)
        .setAttribute(F.cascaded, attempt.cascaded)
        .setAttribute(F.fallback, attempt.fallback);
      if (attempt.purpose !== 'answer') span.setAttribute('forge1.purpose', attempt.purpose);
      if (scope.mode === 'stream') span.setAttribute(G.requestStream, true);
    }
    scope.state.attemptStartedAt = now();
    return { span, spanContext: trace.setSpan(parentContext, span) };
  }

  /** Calls `next` with the attempt's span active, and ends the span with the outcome. */
  async function traceAttempt(
    attempt: MiddlewareAttempt,
    next: () => Promise<AttemptOutcome>,
    scope: MiddlewareContext<TelemetryState>,
  ): Promise<AttemptOutcome> {
    let started: ReturnType<typeof startAttempt>;
    try {
      started = startAttempt(attempt, scope);
    } catch (thrown) {
      throw asInputError(thrown, 'telemetry.wrapAttempt');
    }
    const { span } = started;
    let outcome: AttemptOutcome;
    try {
      outcome = await context.with(started.spanContext, next);
    } catch (error) {
      end(span, toForge1Error(error));
      throw error;
    }
    try {
      attemptEnded(span, outcome, capture && attempt.purpose === 'answer');
      end(span, outcome.ok ? undefined : outcome.error);
    } catch (thrown) {
      throw asInputError(thrown, 'telemetry.wrapAttempt');
    }
    return outcome;
  }

  // Each hook checks that it was given objects, and turns what reading them throws (a host's
  // getter, a Proxy, a wrong shape) into a validation_error naming the hook; the gateway's own
  // values pass both at the cost of a typeof.
  return {
    name: 'telemetry',
    createState: () => ({}),
    transformRequest(request, scope) {
      expectObject(request, 'telemetry.transformRequest', 'request');
      expectObject(scope, 'telemetry.transformRequest', 'context');
      try {
        scope.state.span = startRequest(scope, request);
      } catch (thrown) {
        throw asInputError(thrown, 'telemetry.transformRequest');
      }
      return undefined;
    },
    // Not async: with no tracer behind the API (no SDK registered), the request span is the API's
    // no-op span, and so would the attempt's be, with nothing to record and no trace to join; the
    // attempt then goes on as `next()` with no promise of this hook's own around it.
    wrapAttempt(attempt: MiddlewareAttempt, next, scope) {
      let noop: boolean;
      try {
        expectObject(attempt, 'telemetry.wrapAttempt', 'attempt');
        expectFunction(next, 'telemetry.wrapAttempt', 'next');
        expectObject(scope, 'telemetry.wrapAttempt', 'context');
        noop = isNoopSpan(requestSpan(scope));
      } catch (thrown) {
        return Promise.reject(asInputError(thrown, 'telemetry.wrapAttempt'));
      }
      return noop ? next() : traceAttempt(attempt, next, scope);
    },
    transformChunk(chunk, scope) {
      expectObject(chunk, 'telemetry.transformChunk', 'chunk');
      expectObject(scope, 'telemetry.transformChunk', 'context');
      try {
        const { state } = scope;
        if (state.firstChunk) return undefined;
        state.firstChunk = true;
        const started = state.attemptStartedAt;
        if (started !== undefined && state.span?.isRecording()) {
          state.span.setAttribute(G.responseTimeToFirstChunk, (now() - started) / 1000);
        }
        return undefined;
      } catch (thrown) {
        throw asInputError(thrown, 'telemetry.transformChunk');
      }
    },
    onResult(outcome, scope) {
      expectObject(outcome, 'telemetry.onResult', 'outcome');
      expectObject(scope, 'telemetry.onResult', 'context');
      try {
        const span = requestSpan(scope);
        if (outcome.ok) {
          requestEnded(span, outcome.result);
          end(span);
        } else {
          end(span, outcome.error);
        }
      } catch (thrown) {
        throw asInputError(thrown, 'telemetry.onResult');
      }
      return undefined;
    },
  };
}
