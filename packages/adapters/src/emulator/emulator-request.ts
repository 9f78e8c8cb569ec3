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
  tools: EmulatorTool[];
  toolChoice: EmulatorToolChoice;
  /** JSON mode, with the schema when one was given. */
  json?: { schema?: unknown };
  maxTokens?: number;
  stop: string[];
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
    else if (part && typeof part === 'object') {
      const value = part as Record<string, unknown>;
      if (typeof value.text === 'string') text += value.text;
      else if (value.content !== undefined) text += textOf(value.content);
    }
  }
  return text;
}

/** Reads a property of an unknown value as a record. */
export const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

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
