import type { ChatMessage, ChatResult, FinishReason } from '@forge1/core';

/** Turns text into what may be recorded: masks secrets, personal data, whatever the host must not export. */
export type Redactor = (text: string) => string;

// Shapes of credentials that must never reach a telemetry backend even when content is captured.
const credentialPatterns: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi,
];

/**
 * The default redactor of captured content: masks credential-shaped strings (provider keys,
 * GitHub and Slack tokens, AWS key ids, JWTs, bearer tokens) as `[redacted]`. It knows nothing of
 * personal data: pass a real redactor (e.g. the compliance package's) for that.
 * @example
 * ```ts
 * redactCredentials('key sk-abcdefghijkl'); // 'key [redacted]'
 * ```
 */
export function redactCredentials(text: string): string {
  let out = text;
  for (const pattern of credentialPatterns) out = out.replace(pattern, '[redacted]');
  return out;
}

/** The conventions' finish reason of a Forge1 one (`tool-calls` → `tool_calls`). */
export function finishReasonName(reason: FinishReason): string {
  return reason.replace('-', '_');
}

type Part = Record<string, unknown>;

function messageParts(message: ChatMessage, redact: Redactor): Part[] {
  switch (message.role) {
    case 'user':
      if (typeof message.content === 'string') return [{ type: 'text', content: redact(message.content) }];
      return message.content.map((part) =>
        part.type === 'text' ? { type: 'text', content: redact(part.text) } : { type: part.type },
      );
    case 'assistant':
      return [
        ...(message.content ? [{ type: 'text', content: redact(message.content) }] : []),
        ...(message.toolCalls ?? []).map((call) => ({
          type: 'tool_call',
          id: call.id,
          name: call.name,
          arguments: redact(call.arguments),
        })),
      ];
    case 'tool':
      return [{ type: 'tool_call_response', id: message.toolCallId, response: redact(message.content) }];
    default:
      return [{ type: 'text', content: redact(message.content) }];
  }
}

/** `gen_ai.input.messages`: the request's messages in the conventions' JSON shape, every text redacted. */
export function inputMessages(messages: readonly ChatMessage[], redact: Redactor): string {
  return JSON.stringify(
    messages.map((message) => ({ role: message.role, parts: messageParts(message, redact) })),
  );
}

/** `gen_ai.output.messages`: the answer in the conventions' JSON shape, redacted. */
export function outputMessages(
  result: Pick<ChatResult, 'text' | 'toolCalls' | 'finishReason'>,
  redact: Redactor,
): string {
  const parts = messageParts(
    { role: 'assistant', content: result.text, toolCalls: result.toolCalls },
    redact,
  );
  return JSON.stringify([{ role: 'assistant', parts, finish_reason: finishReasonName(result.finishReason) }]);
}
