import { type ChatRequest, type ComplexityLevel, countContentParts, hasMediaParts } from '@forge1/core';
import { defaultThresholds, type LevelThresholds, scoreSignals } from './score-signals.js';
import { extractSignals, type Signals } from './signals.js';

/** What {@link analyzeRequest} knows about the caller besides the request. */
export interface AnalysisContext {
  /** The user's role (e.g. "ciso", "nurse", "customer"); else `request.metadata.role`. */
  role?: string;
}

/** How demanding a request is, and the signals that say so. */
export interface Analysis {
  level: ComplexityLevel;
  /** 0..1; higher is more demanding. */
  score: number;
  /** 0..1; low when the score sits near a level boundary. */
  confidence: number;
  signals: Signals;
  /** One line per signal that moved the score, with its weight. */
  reasons: string[];
}

/**
 * Analyses a request's complexity: deterministic, no I/O, a few microseconds for a 2 KB prompt.
 * @example
 * ```ts
 * const analysis = analyzeRequest({ messages: [{ role: 'user', content: 'Where is my order #123?' }] });
 * analysis.level; // 'simple'
 * ```
 */
export function analyzeRequest(
  request: ChatRequest,
  context: AnalysisContext = {},
  thresholds: LevelThresholds = defaultThresholds,
): Analysis {
  const signals = extractSignals(request, context.role);
  return withSignals(withMediaFloor(scoreSignals(signals, thresholds), request, thresholds), signals);
}

/** The analysis of a scored request (built field by field: a spread copy costs more on this path). */
export function withSignals(scored: Omit<Analysis, 'signals'>, signals: Signals): Analysis {
  return {
    level: scored.level,
    score: scored.score,
    confidence: scored.confidence,
    reasons: scored.reasons,
    signals,
  };
}

// Images and documents must be read, not just answered: such a request is at least moderate, so it
// never goes to the cheapest tier on its text alone ("what is in this picture?").
export function withMediaFloor(
  scored: Omit<Analysis, 'signals'>,
  request: ChatRequest,
  thresholds: LevelThresholds = defaultThresholds,
): Omit<Analysis, 'signals'> {
  if (!request.messages.some((message) => hasMediaParts(message.content))) return scored;
  const parts = countContentParts(request.messages.map((message) => message.content));
  const reason = `media: ${parts.image} image(s), ${parts.file} document(s) to read → at least moderate`;
  if (scored.level !== 'simple') return { ...scored, reasons: [...scored.reasons, reason] };
  return {
    ...scored,
    level: 'moderate',
    score: Math.max(scored.score, thresholds.simple),
    reasons: [...scored.reasons, reason],
  };
}
