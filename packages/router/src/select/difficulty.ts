import type { LevelThresholds } from '../analyze/score-signals.js';

const logit = (p: number) => Math.log(p / (1 - p));
// Log-odds at the knots: 0.01 at score 0, 0.15 at the simple boundary, 0.7 at the complex one, 0.9 at 1.
const knotLogits = [logit(0.01), logit(0.15), logit(0.7), logit(0.9)] as const;

/**
 * A probability that a small-tier answer is not good enough, read from the analysis score when no
 * calibrated estimate is given: piecewise linear in log-odds through 0.01 at score 0, 0.15 at the
 * simple/moderate boundary, 0.7 at the complex/critical one and 0.9 at score 1.
 */
export function difficultyFromScore(score: number, thresholds: LevelThresholds): number {
  const x = Math.min(1, Math.max(0, score));
  // The segment of the knots (0, simple, complex, 1) that holds x, without arrays per call.
  let x0 = 0;
  let y0 = knotLogits[0];
  let x1 = thresholds.simple;
  let y1 = knotLogits[1];
  if (x > thresholds.simple) {
    x0 = thresholds.simple;
    y0 = knotLogits[1];
    x1 = thresholds.complex;
    y1 = knotLogits[2];
    if (x > thresholds.complex) {
      x0 = thresholds.complex;
      y0 = knotLogits[2];
      x1 = 1;
      y1 = knotLogits[3];
    }
  }
  const y = x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y1;
  return 1 / (1 + Math.exp(-y));
}
