import { z } from 'zod';
import type { ChatRequest } from '../chat.js';
import { chatMessageSchema } from '../message-schema.js';
import { readUntrusted } from '../untrusted.js';
import { parseWith } from '../validation.js';
import { parsePlainChatInput } from './plain-input.js';
import { type Who, whoShape } from './who.js';

// Tool parameters and response schemas go to providers as JSON: anything JSON cannot carry (a
// bigint, a function, a non-finite number) is the caller's error here, not a failure later.
// readUntrusted has already refused cycles and bounded the size.
function isJsonData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonData);
  if (typeof value === 'object') return Object.values(value).every(isJsonData);
  return false;
}
const jsonObject = z
  .record(z.string(), z.unknown())
  .refine(isJsonData, 'expected JSON data (no bigint, function, symbol or non-finite number)');

/** The schema of gateway chat input (the plain text fast path in plain-input.ts must agree with it). */
export const chatInputSchema = z
  .object({
    ...whoShape,
    messages: z.array(chatMessageSchema).min(1, 'at least one message is required'),
    model: z.string().min(1).optional(),
    maxTokens: z.number().int().positive().max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    stop: z.array(z.string().min(1)).max(16).optional(),
    tools: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
            description: z.string().optional(),
            parameters: jsonObject,
          })
          .strict(),
      )
      .max(128)
      .optional(),
    toolChoice: z
      .union([z.enum(['auto', 'none', 'required']), z.object({ name: z.string().min(1) }).strict()])
      .optional(),
    responseFormat: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }).strict(),
        z
          .object({
            type: z.literal('json'),
            schema: jsonObject.optional(),
            name: z.string().optional(),
          })
          .strict(),
      ])
      .optional(),
    reasoning: z
      .object({
        effort: z.enum(['low', 'medium', 'high']).optional(),
        budgetTokens: z.number().int().positive().max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    cache: z
      .object({ ttl: z.enum(['5m', '1h']).optional() })
      .strict()
      .optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    signal: z
      .custom<AbortSignal>((value) => value instanceof AbortSignal, 'expected an AbortSignal')
      .optional(),
  })
  .strict();

/**
 * Input of `gateway.chat()` and `gateway.stream()`: a {@link ChatRequest} plus who it is for.
 * Fields left out are taken from the current request context; explicit fields win.
 */
export interface GatewayChatInput extends ChatRequest, Who {
  /** Aborts queueing and the provider call. */
  signal?: AbortSignal;
}

/** Validates gateway input. @throws ValidationError */
export function parseGatewayInput(input: unknown): GatewayChatInput {
  // A plain text chat is checked by hand on the snapshot; the schema decides everything else.
  const snapshot = readUntrusted(input, 'chat request');
  return (
    parsePlainChatInput(snapshot) ??
    (parseWith(chatInputSchema, snapshot, 'chat request') as GatewayChatInput)
  );
}

/** The provider-neutral request inside a gateway input. */
export function toChatRequest(input: GatewayChatInput): ChatRequest {
  const { tenant, client, employee, user, session, requestId, signal, ...request } = input;
  return request;
}
