import type { ChatChunk, GatewayChatInput, GatewayResult } from '@forge1/core';
import { ulid, ValidationError, type ValidationIssue } from '@forge1/core';
import type { Caller } from './caller.ts';

const identityFields = ['tenant', 'client', 'employee', 'user', 'session', 'requestId', 'signal'] as const;

/** A parsed POST /v1/chat body: the gateway input and whether to stream. */
export interface ChatCall {
  input: GatewayChatInput;
  stream: boolean;
}

/**
 * Turns a request body and its caller into gateway input. The body carries the chat request
 * (`messages`, `model`, `maxTokens`, …, and `stream`); who is calling comes from the headers
 * only, so a body cannot speak for another tenant. The gateway validates the rest.
 * @throws ValidationError when the body is not an object, `stream` is not a boolean, or the body
 * sets an identity field.
 */
export function toChatCall(body: unknown, caller: Caller, signal: AbortSignal): ChatCall {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('chat request', [{ path: '', message: 'expected a JSON object' }]);
  }
  const { stream, ...request } = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const field of identityFields) {
    if (field in request) {
      issues.push({
        path: field,
        message: 'set by headers (authorization, x-tenant-id, x-*-id), not the body',
      });
    }
  }
  if (stream !== undefined && typeof stream !== 'boolean') {
    issues.push({ path: 'stream', message: 'expected a boolean' });
  }
  if (issues.length > 0) throw new ValidationError('chat request', issues);
  // `request` is this call's own copy: the caller's fields are added to it in place, in the order
  // a spread would give, without the copies that conditional spreads make on every request.
  const input = request as Record<string, unknown>;
  input.tenant = caller.tenantId;
  if (caller.client !== undefined) input.client = caller.client;
  if (caller.employee !== undefined) input.employee = caller.employee;
  if (caller.user !== undefined) input.user = caller.user;
  if (caller.session !== undefined) input.session = caller.session;
  // Known before the call, so that an error answer can name it too.
  input.requestId = caller.requestId ?? ulid();
  input.signal = signal;
  return { input: input as unknown as GatewayChatInput, stream: stream === true };
}

/** What the service answers for a completed chat: the answer and what it cost, no internals. */
export function toChatAnswer(result: GatewayResult) {
  return {
    id: result.requestId,
    text: result.text,
    toolCalls: result.toolCalls,
    finishReason: result.finishReason,
    provider: result.provider,
    model: result.model,
    level: result.level,
    cascaded: result.cascaded,
    fellBack: result.fellBack,
    attempts: result.attempts.length,
    usage: result.usage,
    totalUsage: result.totalUsage,
    costMicros: result.costMicros,
  };
}

/** The final SSE event of a stream: the same figures as a non-streamed answer, without the text. */
export function toStreamSummary(result: GatewayResult) {
  const { text, toolCalls, ...summary } = toChatAnswer(result);
  return summary;
}

/** A chunk as sent to clients: the finish chunk loses rate-limit figures and the provider's request id. */
export function toClientChunk(chunk: ChatChunk) {
  if (chunk.type !== 'finish') return chunk;
  return {
    type: chunk.type,
    finishReason: chunk.finishReason,
    usage: chunk.usage,
    provider: chunk.provider,
    model: chunk.model,
  };
}
