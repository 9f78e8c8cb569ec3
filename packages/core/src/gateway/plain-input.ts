import { MAX_TEXT } from '../message-schema.js';
import type { GatewayChatInput } from './input.js';

// The gateway input most requests are: who, plain text messages, maybe a model, a token limit, a
// temperature and a signal. Checked here by hand, it skips zod's walk of the whole schema; anything
// else (parts, tools, formats, a single doubtful value) goes to the schema, which has the last word
// and the error messages.

const whoFields = ['tenant', 'client', 'employee', 'user', 'session', 'requestId'] as const;
const plainFields = new Set<string>([
  ...whoFields,
  'messages',
  'model',
  'maxTokens',
  'temperature',
  'signal',
]);
const plainRoles = new Set(['system', 'user', 'assistant']);

const isId = (value: unknown) => typeof value === 'string' && value.length >= 1 && value.length <= 200;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function plainMessages(value: unknown): Array<{ role: string; content: string }> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const messages: Array<{ role: string; content: string }> = [];
  for (const message of value) {
    if (!isRecord(message)) return undefined;
    let keys = 0;
    for (const _ in message) keys++;
    const { role, content } = message;
    if (keys !== 2 || typeof role !== 'string' || !plainRoles.has(role)) return undefined;
    if (typeof content !== 'string' || content.length > MAX_TEXT) return undefined;
    messages.push({ role, content });
  }
  return messages;
}

/**
 * The parsed input when `snapshot` (a plain copy from readUntrusted) is a plain text chat that the
 * schema would accept as it is; the result is what the schema returns (same fields, same order).
 * Undefined when the schema has to decide.
 */
export function parsePlainChatInput(snapshot: unknown): GatewayChatInput | undefined {
  if (!isRecord(snapshot)) return undefined;
  for (const key in snapshot) {
    if (!plainFields.has(key) || snapshot[key] === undefined) return undefined;
  }
  const messages = plainMessages(snapshot.messages);
  if (!messages) return undefined;
  const { model, maxTokens, temperature, signal } = snapshot;
  if (model !== undefined && (typeof model !== 'string' || model.length === 0)) return undefined;
  if (
    maxTokens !== undefined &&
    (typeof maxTokens !== 'number' ||
      !Number.isSafeInteger(maxTokens) ||
      maxTokens <= 0 ||
      maxTokens > 1_000_000)
  ) {
    return undefined;
  }
  if (
    temperature !== undefined &&
    (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2))
  ) {
    return undefined;
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) return undefined;
  const input: Record<string, unknown> = {};
  for (const field of whoFields) {
    const value = snapshot[field];
    if (value === undefined) continue;
    if (!isId(value)) return undefined;
    input[field] = value;
  }
  input.messages = messages;
  if (model !== undefined) input.model = model;
  if (maxTokens !== undefined) input.maxTokens = maxTokens;
  if (temperature !== undefined) input.temperature = temperature;
  if (signal !== undefined) input.signal = signal;
  return input as unknown as GatewayChatInput;
}
