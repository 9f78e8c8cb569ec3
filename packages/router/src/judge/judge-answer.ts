import type { ChatRequest, ChatResult, ComplexityLevel, RouteDecision, Verdict } from '@forge1/core';
import { lastUserText } from '../analyze/signals.js';

/** Settings of {@link judgeAnswer}. */
export interface JudgeSettings {
  /** Escalate below this confidence. */
  threshold: number;
  hedgingPhrases: readonly string[];
  refusalPhrases: readonly string[];
  /** Fewest words expected of an answer, per level. */
  minimumWords: Readonly<Record<ComplexityLevel, number>>;
}

/**
 * Default fewest words per level.
 * @default { simple: 1, moderate: 25, complex: 60, critical: 60 }
 */
export const defaultMinimumWords: Readonly<Record<ComplexityLevel, number>> = Object.freeze({
  simple: 1,
  moderate: 25,
  complex: 60,
  critical: 60,
});

function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

function stripFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(trimmed);
  return fenced ? fenced[1]! : trimmed;
}

function missingRequired(value: unknown, schema: Record<string, unknown> | undefined): string[] {
  if (!schema || !Array.isArray(schema.required)) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['(an object)'];
  return (schema.required as unknown[]).filter(
    (key): key is string => typeof key === 'string' && !(key in value),
  );
}

/**
 * Judges an answer: confidence starts at 1 and drops for each weakness found; the answer is
 * escalated when confidence falls under the threshold. Every penalty is named in `reasons`.
 */
export function judgeAnswer(
  result: ChatResult,
  decision: RouteDecision,
  request: ChatRequest,
  settings: JudgeSettings,
): Verdict {
  const reasons: string[] = [];
  let confidence = 1;
  const penalise = (amount: number, reason: string) => {
    confidence -= amount;
    reasons.push(`${reason} (-${amount.toFixed(2)})`);
  };
  const text = result.text;
  const lower = text.toLowerCase();
  const words = countWords(text);
  const level = decision.level;

  if (words === 0 && result.toolCalls.length === 0) penalise(1, 'empty answer');
  if (result.finishReason === 'length') penalise(0.5, 'cut off at the length limit');
  if (result.finishReason === 'content-filter') penalise(0.5, 'stopped by a content filter');
  if (result.finishReason === 'error') penalise(0.6, 'finished with an error');

  const refusal = settings.refusalPhrases.find((phrase) => lower.includes(phrase));
  if (refusal) penalise(0.6, `refusal ("${refusal}")`);
  const hedges = settings.hedgingPhrases.filter((phrase) => lower.includes(phrase));
  if (hedges.length > 0)
    penalise(Math.min(0.5, 0.25 * hedges.length), `hedging ("${hedges.slice(0, 3).join('", "')}")`);

  if (result.toolCalls.length === 0) {
    const questionWords = countWords(lastUserText(request));
    const expected = Math.max(
      settings.minimumWords[level],
      level === 'simple' ? 0 : Math.round(questionWords / 4),
    );
    if (words > 0 && words < expected) {
      penalise(words * 2 < expected ? 0.5 : 0.25, `answer of ${words} words, ${expected} expected`);
    }
    if (level !== 'simple' && text.trimEnd().endsWith('?')) penalise(0.45, 'answer ends in a question');
  }

  if (request.responseFormat?.type === 'json' && result.toolCalls.length === 0) {
    try {
      const parsed: unknown = JSON.parse(stripFence(text));
      const missing = missingRequired(parsed, request.responseFormat.schema);
      if (missing.length > 0) penalise(0.4, `JSON misses required ${missing.join(', ')}`);
    } catch {
      penalise(0.7, 'invalid JSON where JSON was asked for');
    }
  }
  const toolRequired = request.toolChoice === 'required' || typeof request.toolChoice === 'object';
  if (toolRequired && result.toolCalls.length === 0) penalise(0.6, 'a tool call was required but none came');

  confidence = Math.max(0, Math.round(confidence * 100) / 100);
  const escalate = confidence < settings.threshold;
  if (reasons.length === 0) reasons.push('no weakness found');
  return { escalate, confidence, reasons };
}
