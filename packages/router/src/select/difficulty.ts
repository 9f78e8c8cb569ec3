import type { LevelThresholds } from '../analyze/score-signals.js';

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * A probability that a small-tier answer is not good enough, read from the analysis score when no
 * calibrated estimate is given: piecewise linear in log-odds through 0.01 at score 0, 0.15 at the
 * simple/moderate boundary, 0.7 at the complex/critical one and 0.9 at score 1.
 */
export function difficultyFromScore(score: number, thresholds: LevelThresholds): number {
  const knots: Array<[number, number]> = [
    [0, logit(0.01)],
    [thresholds.simple, logit(0.15)],
    [thresholds.complex, logit(0.7)],
    [1, logit(0.9)],
  ];
  const x = Math.min(1, Math.max(0, score));
  let index = 1;
  while (index < knots.length - 1 && x > knots[index]![0]) index++;
  const [x0, y0] = knots[index - 1]!;
  const [x1, y1] = knots[index]!;
  const y = x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y1;
  return 1 / (1 + Math.exp(-y));
}
