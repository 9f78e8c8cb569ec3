import type { ChatRequest, ComplexityLevel } from '@forge1/core';
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
  const scored = scoreSignals(signals, thresholds);
  return { ...scored, signals };
}
