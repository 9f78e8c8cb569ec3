import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { CacheTtl, ChatMessage, ProviderChatRequest } from '@forge1/core';
import { thinkingBudgetOf } from '../provider-utils/reasoning.js';
import { parseJsonObject } from '../provider-utils/records.js';
import { toContentBlocks } from './map-content.js';

/** Name of the tool that carries a JSON answer when the JSON mode is `tool`. */
export const JSON_TOOL_NAME = 'json_response';

/** How JSON mode is asked of Anthropic. */
export type AnthropicJsonMode = 'tool' | 'output-format';

/** How a neutral request becomes a messages body. */
export interface AnthropicRequestSettings {
  /** `max_tokens` when the request sets none (Anthropic requires it). */
  defaultMaxTokens: number;
  jsonMode: AnthropicJsonMode;
}

function blocksOf(message: Exclude<ChatMessage, { role: 'system' }>): ContentBlockParam[] {
  switch (message.role) {
    case 'user':
      return toContentBlocks(message.content);
    case 'tool':
      return [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }];
    case 'assistant': {
      const blocks: ContentBlockParam[] = [];
      if (message.content !== '') blocks.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls ?? []) {
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: parseJsonObject(call.arguments || '{}') ?? {},
        });
      }
      return blocks;
    }
  }
}

/**
 * Maps the conversation: system messages go to the top-level `system`, tool results become
 * `tool_result` blocks of a user turn, and consecutive turns of the same role merge (the
 * API wants user and assistant turns to alternate).
 */
export function toMessages(messages: readonly ChatMessage[]): {
  system: string | undefined;
  messages: MessageParam[];
} {
  const system: string[] = [];
  const out: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message.content);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(message);
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  const simplified = out.map((turn): MessageParam => {
    const only = turn.content[0];
    // A lone text block is sent as a plain string, the common wire form.
    if (turn.content.length === 1 && only?.type === 'text') return { role: turn.role, content: only.text };
    return { role: turn.role, content: turn.content };
  });
  return { system: system.length ? system.join('\n\n') : undefined, messages: simplified };
}

function toToolChoice(choice: ProviderChatRequest['toolChoice']): ToolChoice | undefined {
  if (choice === undefined || choice === 'auto') return choice === undefined ? undefined : { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.name };
}

/**
 * Maps a neutral request to an Anthropic messages body (without `stream`). `temperature` is
 * not sent: API version 2026-10-21 (the one `@anthropic-ai/sdk` 1.x speaks) has no such
 * field; see {@link unsupportedOptions}.
 */
export function toMessagesBody(
  request: ProviderChatRequest,
  settings: AnthropicRequestSettings,
): MessageCreateParamsBase {
  const { system, messages } = toMessages(request.messages);
  const body: MessageCreateParamsBase = {
    model: request.model,
    messages,
    max_tokens: request.maxTokens ?? settings.defaultMaxTokens,
  };
  if (system !== undefined) body.system = system;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  const tools: Tool[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    input_schema: tool.parameters as Tool['input_schema'],
    ...(tool.description === undefined ? {} : { description: tool.description }),
  }));
  let toolChoice = tools.length ? toToolChoice(request.toolChoice) : undefined;
  const format = request.responseFormat;
  if (format?.type === 'json') {
    const schema = format.schema ?? { type: 'object' };
    if (settings.jsonMode === 'output-format') {
      body.output_config = { format: { type: 'json_schema', schema } };
    } else {
      tools.push({
        name: JSON_TOOL_NAME,
        description: 'Answer with a JSON object matching this schema.',
        input_schema: schema as Tool['input_schema'],
      });
      toolChoice = { type: 'tool', name: JSON_TOOL_NAME };
    }
  }
  if (tools.length) body.tools = tools;
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  if (request.cache) markCacheBreakpoints(body, request.cache.ttl);
  if (request.reasoning && !forcesTool(toolChoice)) {
    const budget = Math.max(MIN_THINKING_BUDGET, thinkingBudgetOf(request.reasoning));
    body.thinking = { type: 'enabled', budget_tokens: budget };
    // `maxTokens` bounds the answer; thinking counts toward `max_tokens`, so its budget is added.
    body.max_tokens += budget;
  }
  return body;
}

const MIN_THINKING_BUDGET = 1024;

// The API refuses thinking together with a forced tool (`any` or one named tool).
const forcesTool = (choice: ToolChoice | undefined) => choice?.type === 'any' || choice?.type === 'tool';

/**
 * Puts `cache_control` breakpoints on the stable prefix: the last system block and the last
 * tool (the API caches everything up to a breakpoint). `ttl` `1h` asks for the 1-hour cache.
 */
function markCacheBreakpoints(body: MessageCreateParamsBase, ttl: CacheTtl | undefined): void {
  const cacheControl: CacheControlEphemeral = { type: 'ephemeral', ...(ttl === '1h' ? { ttl: '1h' } : {}) };
  if (typeof body.system === 'string')
    body.system = [{ type: 'text', text: body.system, cache_control: cacheControl }];
  const lastTool = body.tools?.at(-1);
  if (lastTool && 'input_schema' in lastTool) lastTool.cache_control = cacheControl;
}

/** Warnings for request options the Anthropic API cannot honour (the call goes ahead). */
export function unsupportedOptions(request: ProviderChatRequest, body?: MessageCreateParamsBase): string[] {
  const warnings: string[] = [];
  if (request.temperature !== undefined) {
    warnings.push(
      'temperature is not supported by the Anthropic API version of @anthropic-ai/sdk 1.x; ignored',
    );
  }
  if (request.reasoning && body && body.thinking === undefined) {
    warnings.push(
      'reasoning is not sent with a forced tool (toolChoice or JSON mode tool); the API refuses both',
    );
  }
  return warnings;
}
