import type { ChatRequest } from '@forge1/core';
import { countKeywordFamilies, type KeywordFamily } from './keyword-families.js';

/** How strictly the answer's shape is prescribed. */
export type JsonStrictness = 'none' | 'object' | 'schema';

/** Everything the analysis measured about a request; each field is explainable on its own. */
export interface Signals {
  /** Hits per keyword family in the last user message. */
  families: Record<KeywordFamily, number>;
  /** Characters of the last user message. */
  characters: number;
  /** Characters of the whole conversation. */
  conversationCharacters: number;
  lines: number;
  /** Question marks in the last user message. */
  questions: number;
  /** Numbers (figures, amounts, ids) in the last user message. */
  figures: number;
  code: boolean;
  configuration: boolean;
  logs: boolean;
  stackTrace: boolean;
  maths: boolean;
  /** The request's `maxTokens`, or null. */
  maxTokens: number | null;
  json: JsonStrictness;
  /** Fields the JSON schema requires (0 when there is no schema). */
  schemaFields: number;
  tools: number;
  /** True when `toolChoice` forces a tool call. */
  toolRequired: boolean;
  /** Messages in the conversation, the last one included. */
  turns: number;
  /** The user's role, lower-cased, when the caller gave one. */
  role: string | null;
}

const codePattern =
  /```|\b(?:function|def|class|return|const|let|var|import|func|public|private|SELECT|INSERT|UPDATE|DELETE)\b[^\n]*[({=;:]|=>|\)\s*\{|;\s*$/m;
// Line patterns, tried only at line starts (sticky), so each line is read once.
const stackTraceLine =
  /\s+at [\w$.<>/]+ ?\(|Traceback \(most recent call last\)|\s*File "[^"\n]+", line \d+|Caused by: |goroutine \d+ \[|Exception in thread|panic: |\s+at [\w$.]+:\d+/y;
const logLine = /[^\n]*?(?:\d{2}:\d{2}:\d{2}|\b(?:ERROR|WARN(?:ING)?|FATAL|DEBUG|INFO)\b|status=\d{3})/y;
const configurationLine =
  /\s*(?:apiVersion|kind|spec|resources|services|groups|rules|version):|\s*resource "|\s*\[[\w.-]+\]\s*$|\s*[A-Z][A-Z0-9_]{2,}=\S|\s*\{\s*$|\s*"[\w-]+"\s*:\s*[[{"]|\s{2,}- name:/my;
const mathsPattern =
  /[∑∫√≤≥π]|\\frac|\b\d+(?:\.\d+)?\s*[*/^]\s*\d|\b[a-z]\s*[=<>]\s*\d|\b(?:equation|integral|derivative|recurrence|theorem|prove|probability|variance|regression|O\(n)/i;

const emptyFamilies = (): Record<KeywordFamily, number> => ({
  greeting: 0,
  lookup: 0,
  explain: 0,
  analyse: 0,
  compliance: 0,
  critical: 0,
  urgency: 0,
  educational: 0,
  brevity: 0,
  depth: 0,
});

/** The text the analysis reads: the last user message (or the last message of any kind). */
export function lastUserText(request: ChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!;
    if (message.role === 'user') return message.content;
  }
  return request.messages[request.messages.length - 1]?.content ?? '';
}

function countFamilies(text: string): Record<KeywordFamily, number> {
  const families = emptyFamilies();
  countKeywordFamilies(text.toLowerCase(), families);
  return families;
}

const matchesAt = (pattern: RegExp, text: string, index: number) => {
  pattern.lastIndex = index;
  return pattern.test(text);
};

/** Stack traces, log lines and configuration, read line by line. */
function scanLines(text: string): { stackTrace: boolean; logs: boolean; configuration: boolean } {
  let stackTrace = false;
  let logLines = 0;
  let configuration = false;
  for (let index = 0; index < text.length; index = text.indexOf('\n', index) + 1) {
    if (!stackTrace) stackTrace = matchesAt(stackTraceLine, text, index);
    if (logLines < 2 && matchesAt(logLine, text, index)) logLines++;
    if (!configuration) configuration = matchesAt(configurationLine, text, index);
    if (stackTrace && configuration && logLines >= 2) break;
    if (text.indexOf('\n', index) < 0) break;
  }
  return { stackTrace, logs: logLines >= 2, configuration };
}

/** Counts question marks, lines and figures in one pass over the characters. */
function scan(text: string): { questions: number; lines: number; figures: number } {
  let questions = 0;
  let lines = 1;
  let figures = 0;
  let inNumber = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 63) questions++;
    else if (code === 10) lines++;
    const digit = code >= 48 && code <= 57;
    if (digit && !inNumber) figures++;
    inNumber = digit || (inNumber && (code === 46 || code === 44));
  }
  return { questions, lines, figures };
}

function schemaFields(schema: Record<string, unknown> | undefined): number {
  if (!schema) return 0;
  let count = 0;
  const visit = (node: unknown, depth: number) => {
    if (typeof node !== 'object' || node === null || depth > 6) return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.required)) count += record.required.length;
    if (typeof record.properties === 'object' && record.properties !== null) {
      for (const child of Object.values(record.properties)) visit(child, depth + 1);
    }
    if (record.items !== undefined) visit(record.items, depth + 1);
  };
  visit(schema, 0);
  return count;
}

/**
 * Measures a request: keyword families, length, questions, code, configuration, logs, stack
 * traces, maths, requested output, JSON strictness, tools, conversation length and role.
 * Regular expressions are compiled once; the text is read a few times, never copied.
 */
export function extractSignals(request: ChatRequest, role?: string): Signals {
  const text = lastUserText(request);
  let conversationCharacters = 0;
  for (const message of request.messages) conversationCharacters += message.content.length;
  const { questions, lines, figures } = scan(text);
  const format = request.responseFormat;
  const json: JsonStrictness = format?.type === 'json' ? (format.schema ? 'schema' : 'object') : 'none';
  const givenRole = role ?? request.metadata?.role ?? request.metadata?.userRole;
  const structure = lines > 2 ? scanLines(text) : { stackTrace: false, logs: false, configuration: false };
  return {
    families: countFamilies(text),
    characters: text.length,
    conversationCharacters,
    lines,
    questions,
    figures,
    code: codePattern.test(text),
    configuration: structure.configuration,
    logs: structure.logs,
    stackTrace: structure.stackTrace,
    maths: mathsPattern.test(text),
    maxTokens: request.maxTokens ?? null,
    json,
    schemaFields: format?.type === 'json' ? schemaFields(format.schema) : 0,
    tools: request.tools?.length ?? 0,
    toolRequired: request.toolChoice === 'required' || typeof request.toolChoice === 'object',
    turns: request.messages.length,
    role: givenRole ? givenRole.toLowerCase() : null,
  };
}
