import { asRecord } from '../provider-utils/records.js';
import type { EmulatorProvider } from './emulator-options.js';

/** A tool the request offers. */
export interface EmulatorTool {
  name: string;
  description?: string;
  /** JSON schema of the arguments. */
  schema?: unknown;
}

/** What the request asks about tools. */
export type EmulatorToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** A provider request reduced to what the emulator needs to answer it. */
export interface EmulatorRequest {
  provider: EmulatorProvider;
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  system: string;
  /** Text of the last user turn. */
  lastUserText: string;
  /** The last turn is a tool result: answer in text, do not call again. */
  afterToolResult: boolean;
  /** Characters of every message, system prompt and tool definition. */
  inputChars: number;
  /** Tokens of the images and files, by the provider's rules. */
  mediaTokens: number;
  tools: EmulatorTool[];
  toolChoice: EmulatorToolChoice;
  /** JSON mode, with the schema when one was given. */
  json?: { schema?: unknown };
  maxTokens?: number;
  stop: string[];
  /** Thinking asked for: a budget (Anthropic, Gemini) or an effort (OpenAI). */
  reasoning?: { budget?: number; effort?: string };
  /** Anthropic `cache_control`: the prefix up to the last breakpoint, and its lifetime. */
  cacheBreakpoint?: { prefix: string; ttl: '5m' | '1h' };
}

/** One turn of a provider request, read into neutral terms by its wire module. */
export interface WireTurn {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** The turn's text. */
  text: string;
  /** Characters that count as input besides the text: tool calls and tool results. */
  extraChars?: number;
  /** The turn carries a tool result. */
  toolResult?: boolean;
  /** Tokens of the turn's images and files. */
  mediaTokens?: number;
}

/** A tool definition as a wire module found it, before checking. */
export interface WireTool {
  name: unknown;
  description?: unknown;
  schema?: unknown;
}

/** What a wire module read out of a request body, for {@link toEmulatorRequest}. */
export interface WireRequestFields {
  provider: EmulatorProvider;
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** Every turn in order, system turns included. */
  turns: readonly WireTurn[];
  /** The request's tools field as sent: its JSON counts as input. */
  toolsField: unknown;
  tools: readonly WireTool[];
  toolChoice: EmulatorToolChoice;
  /** Stop sequences as sent: a string or a list. */
  stop: unknown;
  maxTokens?: unknown;
  json?: { schema?: unknown };
  reasoning?: EmulatorRequest['reasoning'];
  cacheBreakpoint?: EmulatorRequest['cacheBreakpoint'];
}

/**
 * The request every wire shares: the system prompt (system turns joined by a newline), the
 * last non-empty user text, whether the last turn answers a tool call, the input characters
 * (texts, tool calls and results, tool definitions) and the named tools.
 */
export function toEmulatorRequest(fields: WireRequestFields): EmulatorRequest {
  let system = '';
  let lastUserText = '';
  let inputChars = 0;
  let mediaTokens = 0;
  for (const turn of fields.turns) {
    inputChars += turn.text.length + (turn.extraChars ?? 0);
    mediaTokens += turn.mediaTokens ?? 0;
    if (turn.role === 'system') system += (system ? '\n' : '') + turn.text;
    if (turn.role === 'user' && turn.text !== '') lastUserText = turn.text;
  }
  if (Array.isArray(fields.toolsField)) inputChars += JSON.stringify(fields.toolsField).length;
  const tools: EmulatorTool[] = [];
  for (const definition of fields.tools) {
    if (typeof definition.name !== 'string') continue;
    const tool: EmulatorTool = { name: definition.name, schema: definition.schema };
    if (typeof definition.description === 'string') tool.description = definition.description;
    tools.push(tool);
  }
  const request: EmulatorRequest = {
    provider: fields.provider,
    model: fields.model,
    stream: fields.stream,
    includeUsage: fields.includeUsage,
    system,
    lastUserText,
    afterToolResult: fields.turns.at(-1)?.toolResult === true,
    inputChars,
    mediaTokens,
    tools,
    toolChoice: fields.toolChoice,
    stop: stringList(fields.stop),
  };
  if (typeof fields.maxTokens === 'number') request.maxTokens = fields.maxTokens;
  if (fields.json) request.json = fields.json;
  if (fields.reasoning) request.reasoning = fields.reasoning;
  if (fields.cacheBreakpoint) request.cacheBreakpoint = fields.cacheBreakpoint;
  return request;
}

/** Tokens of a text, the providers' rule of thumb: about four characters each. */
export const tokensOf = (chars: number): number => Math.max(1, Math.ceil(chars / 4));

/** Text of a message content that is a string or a list of parts with `text`. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else {
      const value = asRecord(part);
      if (typeof value?.text === 'string') text += value.text;
      else if (value?.content !== undefined) text += textOf(value.content);
    }
  }
  return text;
}

/** The records of a list (anything else in it, or a non-list, is left out). */
export function recordsOf(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.map(asRecord).filter((item): item is Record<string, unknown> => item !== undefined);
}

/** A string list from a string or an array (stop sequences). */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item !== '')
    : [];
}

/** The last tool a prompt names, among the offered tools. */
export function toolNamedIn(text: string, tools: readonly EmulatorTool[]): EmulatorTool | undefined {
  return tools.find((tool) => text.includes(tool.name));
}
