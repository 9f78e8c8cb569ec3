import { type ChatRequest, contentText } from '@forge1/core';
import { countKeywordFamilies, type KeywordFamily, type WordVisitor } from './keyword-families.js';
import {
  createWordStarts,
  type NgramHasher,
  type NgramSketch,
  sketchWithWords,
  type WordStarts,
} from './ngram-hasher.js';
import {
  type CheckedWord,
  checkedWords,
  codeWordAt,
  containsCode,
  containsMaths,
  isWordStart,
} from './text-scanners.js';

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

// Line patterns, tried only at line starts (sticky), so each line is read once.
const stackTraceLine =
  /\s+at [\w$.<>/]+ ?\(|Traceback \(most recent call last\)|\s*File "[^"\n]+", line \d+|Caused by: |goroutine \d+ \[|Exception in thread|panic: |\s+at [\w$.]+:\d+/y;
const logLine = /[^\n]*?(?:\d{2}:\d{2}:\d{2}|\b(?:ERROR|WARN(?:ING)?|FATAL|DEBUG|INFO)\b|status=\d{3})/y;
const configurationLine =
  /\s*(?:apiVersion|kind|spec|resources|services|groups|rules|version):|\s*resource "|\s*\[[\w.-]+\]\s*$|\s*[A-Z][A-Z0-9_]{2,}=\S|\s*\{\s*$|\s*"[\w-]+"\s*:\s*[[{"]|\s{2,}- name:/my;

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
  build: 0,
  stakes: 0,
  decision: 0,
  factoid: 0,
});

/** The text the analysis reads: the last user message (or the last message of any kind). */
export function lastUserText(request: ChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!;
    if (message.role === 'user') return contentText(message.content);
  }
  const last = request.messages[request.messages.length - 1];
  return last ? contentText(last.content) : '';
}

interface WordSignals {
  families: Record<KeywordFamily, number>;
  /** A maths word was seen, or undefined when the words could not be read in step with the text. */
  mathsWord: boolean | undefined;
  /** A code statement keyword was seen (same caveat). */
  codeWord: boolean | undefined;
}

// What the current pass found among the checked words; one visitor serves every pass (a pass is
// synchronous), so no object or closure is made per request.
const found = { text: '', mathsWord: false, codeWord: false };
const visitor: WordVisitor<CheckedWord> = {
  ...checkedWords,
  at(index, item) {
    if (item.kind === 'maths') found.mathsWord ||= isWordStart(found.text, index);
    else found.codeWord ||= codeWordAt(found.text, index);
  },
};

/**
 * One pass over the word starts of the lower-cased text: keyword families, maths and code words.
 * The word starts are those a sketch recorded into `words`, or else this pass finds them.
 */
function readWords(text: string, lower: string, words: WordStarts, sketched: boolean): WordSignals {
  const families = emptyFamilies();
  // Word starts of the two texts line up unless lower-casing changed a length or made a letter (K, the Kelvin sign).
  if (lower.length !== text.length || text.includes('\u212a')) {
    countKeywordFamilies(lower, families, words, sketched);
    return { families, mathsWord: undefined, codeWord: undefined };
  }
  found.text = text;
  found.mathsWord = false;
  found.codeWord = false;
  countKeywordFamilies(lower, families, words, sketched, visitor);
  found.text = '';
  return { families, mathsWord: found.mathsWord, codeWord: found.codeWord };
}

// The word starts of the current request's text; one buffer serves every call (a call is synchronous).
const wordStarts = createWordStarts();

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
 * Regular expressions are compiled once; the text is read a few times, never copied. With
 * `ngrams`, the hasher also sketches the lower-cased text for the difficulty model.
 */
export function extractSignals(
  request: ChatRequest,
  role?: string,
  ngrams?: { hasher: NgramHasher; sketch?: NgramSketch },
): Signals {
  const text = lastUserText(request);
  const lower = text.toLowerCase();
  // The sketch's pass finds the word starts too; without one, the keyword pass finds them.
  if (ngrams) ngrams.sketch = sketchWithWords(ngrams.hasher, lower, wordStarts);
  const words = readWords(text, lower, wordStarts, ngrams !== undefined);
  let conversationCharacters = 0;
  for (const message of request.messages) conversationCharacters += contentText(message.content).length;
  // The lower-cased text has the same question marks, line breaks and digits as the text.
  const { questions, lines, figures } = wordStarts;
  const format = request.responseFormat;
  const json: JsonStrictness = format?.type === 'json' ? (format.schema ? 'schema' : 'object') : 'none';
  const givenRole = role ?? request.metadata?.role ?? request.metadata?.userRole;
  const structure = lines > 2 ? scanLines(text) : { stackTrace: false, logs: false, configuration: false };
  return {
    families: words.families,
    characters: text.length,
    conversationCharacters,
    lines,
    questions,
    figures,
    code: containsCode(text, words.codeWord),
    configuration: structure.configuration,
    logs: structure.logs,
    stackTrace: structure.stackTrace,
    maths: containsMaths(text, words.mathsWord),
    maxTokens: request.maxTokens ?? null,
    json,
    schemaFields: format?.type === 'json' ? schemaFields(format.schema) : 0,
    tools: request.tools?.length ?? 0,
    toolRequired: request.toolChoice === 'required' || typeof request.toolChoice === 'object',
    turns: request.messages.length,
    role: givenRole ? givenRole.toLowerCase() : null,
  };
}
