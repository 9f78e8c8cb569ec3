import { asRecord, asString } from '../provider-utils/records.js';
import type { Answer } from './answers.js';
import { type EmulatorRequest, recordsOf, textOf, tokensOf } from './emulator-request.js';
import { mediaTokens } from './media-tokens.js';
import type { ResponseContext } from './wire.js';

// An image or document block: base64 and text sources carry their bytes, url sources do not.
export function blockTokens(block: Record<string, unknown>): number {
  const source = asRecord(block.source) ?? {};
  const data = asString(source.data);
  if (source.type === 'text') return tokensOf((data ?? '').length);
  const mediaType =
    asString(source.media_type) ?? (block.type === 'document' ? 'application/pdf' : 'image/jpeg');
  return mediaTokens('anthropic', { mediaType, ...(source.type === 'base64' && data ? { data } : {}) });
}

/** A JSON schema written into a system prompt that asks for JSON, if one parses. */
export function schemaInText(text: string): unknown {
  const from = text.indexOf('{');
  const to = text.lastIndexOf('}');
  if (from < 0 || to <= from) return undefined;
  try {
    const parsed = asRecord(JSON.parse(text.slice(from, to + 1)));
    return parsed?.type !== undefined || parsed?.properties !== undefined ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The usage fields as recorded: `input_tokens` is what was neither read from nor written to the cache. */
export function usageOf(answer: Answer, context: ResponseContext) {
  return {
    input_tokens: context.inputTokens - context.cachedInputTokens - context.cacheWriteInputTokens,
    cache_creation_input_tokens: context.cacheWriteInputTokens,
    cache_read_input_tokens: context.cachedInputTokens,
    output_tokens: answer.outputTokens + answer.reasoningTokens,
  };
}

/** The split of the cache write by lifetime (`usage.cache_creation`). */
export const cacheCreationOf = (context: ResponseContext) => ({
  ephemeral_5m_input_tokens: context.cacheTtl === '5m' ? context.cacheWriteInputTokens : 0,
  ephemeral_1h_input_tokens: context.cacheTtl === '1h' ? context.cacheWriteInputTokens : 0,
});

const marked = (block: Record<string, unknown>) => asRecord(block.cache_control)?.type === 'ephemeral';
const ttlOf = (block: Record<string, unknown> | undefined) =>
  asRecord(block?.cache_control)?.ttl === '1h' ? ('1h' as const) : ('5m' as const);

/**
 * The cached prefix a request marks with `cache_control`: the API caches in the order tools,
 * system, messages, so a breakpoint on the system prompt covers the tools too.
 */
export function breakpointOf(body: Record<string, unknown>): EmulatorRequest['cacheBreakpoint'] {
  const tools = recordsOf(body.tools);
  const system = recordsOf(body.system);
  const lastSystem = system.findLastIndex(marked);
  if (lastSystem >= 0) {
    const prefix = JSON.stringify(tools) + textOf(system.slice(0, lastSystem + 1));
    return { prefix, ttl: ttlOf(system[lastSystem]) };
  }
  const lastTool = tools.findLastIndex(marked);
  if (lastTool < 0) return undefined;
  return { prefix: JSON.stringify(tools.slice(0, lastTool + 1)), ttl: ttlOf(tools[lastTool]) };
}

/** The thinking text of an answer: four characters a reasoning token. */
export function thinkingOf(answer: Answer): string {
  const chars = answer.reasoningTokens * 4;
  return 'Let me work through this step by step. '.repeat(Math.ceil(chars / 39) + 1).slice(0, chars);
}
