import type {
  ChatRequest,
  ChatResult,
  ComplexityLevel,
  JudgeContext,
  RouteDecision,
  Verdict,
} from '@forge1/core';
import { lastUserText } from '../analyze/signals.js';
import { type NamedFinding, runVerifiers } from '../verify/run-verifiers.js';
import type { Verifier } from '../verify/verifier.js';

/** Settings of {@link judgeAnswer}. */
export interface JudgeSettings {
  /** Escalate below this confidence. */
  threshold: number;
  hedgingPhrases: readonly string[];
  refusalPhrases: readonly string[];
  /** Fewest words expected of an answer, per level. */
  minimumWords: Readonly<Record<ComplexityLevel, number>>;
  /** Checks of the answer itself, run after the heuristics (built-in ones, then the host's). */
  verifiers: readonly Verifier[];
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

/**
 * Judges an answer: confidence starts at 1 and drops for each weakness the heuristics (hedging,
 * refusals, length, a trailing question, a missing tool call) and the verifiers (truncation, JSON
 * schema, fences, arithmetic, final answer, the host's) find; the answer is escalated when
 * confidence falls under the threshold. Every penalty is named in `reasons`. Synchronous unless a
 * verifier answers asynchronously.
 */
export function judgeAnswer(
  result: ChatResult,
  decision: RouteDecision,
  request: ChatRequest,
  settings: JudgeSettings,
  judgeContext?: JudgeContext,
): Verdict | Promise<Verdict> {
  const heuristics = heuristicFindings(result, decision, request, settings);
  const question = lastUserText(request);
  const findings = runVerifiers(settings.verifiers, {
    result,
    request,
    decision,
    question,
    ...(judgeContext ? { judgeContext } : {}),
  });
  const verdict = (verified: NamedFinding[]): Verdict => {
    let confidence = 1;
    const reasons: string[] = [];
    for (const finding of [...heuristics, ...verified]) {
      confidence -= finding.penalty;
      const label = finding.verifier ? `${finding.verifier}: ${finding.reason}` : finding.reason;
      reasons.push(finding.penalty > 0 ? `${label} (-${finding.penalty.toFixed(2)})` : label);
    }
    confidence = Math.max(0, Math.round(confidence * 100) / 100);
    if (reasons.length === 0) reasons.push('no weakness found');
    return { escalate: confidence < settings.threshold, confidence, reasons };
  };
  return Array.isArray(findings) ? verdict(findings) : findings.then(verdict);
}

interface Finding {
  penalty: number;
  reason: string;
  verifier?: string;
}

function heuristicFindings(
  result: ChatResult,
  decision: RouteDecision,
  request: ChatRequest,
  settings: JudgeSettings,
): Finding[] {
  const findings: Finding[] = [];
  const penalise = (penalty: number, reason: string) => findings.push({ penalty, reason });
  const text = result.text;
  const lower = text.toLowerCase();
  const words = countWords(text);
  const level = decision.level;

  if (words === 0 && result.toolCalls.length === 0) penalise(1, 'empty answer');
  if (result.finishReason === 'content-filter') penalise(0.5, 'stopped by a content filter');
  if (result.finishReason === 'error') penalise(0.6, 'finished with an error');

  const refusal = settings.refusalPhrases.find((phrase) => lower.includes(phrase));
  if (refusal) penalise(0.6, `refusal ("${refusal}")`);
  const hedges = settings.hedgingPhrases.filter((phrase) => lower.includes(phrase));
  if (hedges.length > 0)
    penalise(Math.min(0.5, 0.25 * hedges.length), `hedging ("${hedges.slice(0, 3).join('", "')}")`);

  // Word counts and a closing question say nothing about a JSON answer: the json-schema verifier judges it.
  if (result.toolCalls.length === 0 && request.responseFormat?.type !== 'json') {
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
  const toolRequired = request.toolChoice === 'required' || typeof request.toolChoice === 'object';
  if (toolRequired && result.toolCalls.length === 0) penalise(0.6, 'a tool call was required but none came');
  return findings;
}
