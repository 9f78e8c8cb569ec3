import type { ChatMessage, ChatRequest } from '@forge1/core';
import type { Finding, Scanner } from './scanner.js';
import { maskFor, type Vault } from './vault.js';

/** What a detector does with a value it finds. */
export type RedactionMode = 'mask' | 'tokenize' | 'block';

/** Counts of values found, by detector name. Never holds the values. */
export type RedactionCounts = Record<string, number>;

/** What redacting one text or request found and did. */
export interface RedactionOutcome<T> {
  /** The redacted value (the same object when nothing was found). */
  value: T;
  /** Values found, by detector name (masked, tokenized and blocking alike). */
  counts: RedactionCounts;
  /** Detector names whose action is `block` and that found something, sorted. */
  blocked: string[];
}

/** Replaces each finding by its mask or placeholder; blocking findings are masked too. */
export function applyFindings(
  text: string,
  findings: readonly Finding[],
  modes: ReadonlyMap<string, RedactionMode>,
  vault: Vault,
): string {
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const finding of findings) {
    out += text.slice(at, finding.start);
    const value = text.slice(finding.start, finding.end);
    out +=
      modes.get(finding.kind) === 'tokenize' ? vault.placeholder(finding.kind, value) : maskFor(finding.kind);
    at = finding.end;
  }
  return out + text.slice(at);
}

/** Every text of a request that goes to a provider, rewritten by `map` (contents, text parts, tool-call arguments). */
export function mapRequestTexts(request: ChatRequest, map: (text: string) => string): ChatRequest {
  let changed = false;
  const mapText = (text: string) => {
    const next = map(text);
    if (next !== text) changed = true;
    return next;
  };
  const messages = request.messages.map((message) => {
    const content = mapContent(message.content, mapText);
    const toolCalls =
      message.role === 'assistant' && message.toolCalls
        ? message.toolCalls.map((call) => {
            const args = mapText(call.arguments);
            return args === call.arguments ? call : { ...call, arguments: args };
          })
        : undefined;
    if (content === message.content && toolCalls === undefined) return message;
    return { ...message, content, ...(toolCalls ? { toolCalls } : {}) } as ChatMessage;
  });
  return changed ? { ...request, messages } : request;
}

function mapContent(content: unknown, map: (text: string) => string): unknown {
  if (typeof content === 'string') return map(content);
  if (!Array.isArray(content)) return content;
  let changed = false;
  const parts = content.map((part: unknown) => {
    if (typeof part !== 'object' || part === null) return part;
    const { type, text } = part as { type?: unknown; text?: unknown };
    if (type !== 'text' || typeof text !== 'string') return part;
    const next = map(text);
    if (next === text) return part;
    changed = true;
    return { ...part, text: next };
  });
  return changed ? parts : content;
}

/** The texts of a request, in the order {@link mapRequestTexts} visits them. */
export function requestTexts(request: ChatRequest): string[] {
  const texts: string[] = [];
  mapRequestTexts(request, (text) => {
    texts.push(text);
    return text;
  });
  return texts;
}

/**
 * Scans every text of a request and replaces what it finds: `mask` by `[REDACTED_KIND]`,
 * `tokenize` by a placeholder kept in `vault`. Findings of a `block` detector are reported in
 * `blocked`; the caller refuses the request (its value is masked as well, never sent).
 */
export function redactRequest(
  request: ChatRequest,
  scanner: Scanner,
  modes: ReadonlyMap<string, RedactionMode>,
  vault: Vault,
): RedactionOutcome<ChatRequest> {
  const counts: RedactionCounts = {};
  const blocked = new Set<string>();
  const value = mapRequestTexts(request, (text) => {
    const findings = scanner.scan(text);
    for (const finding of findings) {
      counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
      if (modes.get(finding.kind) === 'block') blocked.add(finding.kind);
    }
    return applyFindings(text, findings, modes, vault);
  });
  return { value, counts, blocked: [...blocked].sort() };
}
