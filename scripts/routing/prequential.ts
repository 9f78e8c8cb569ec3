// A tenant's stream replayed through the router's online learner: each probability is taken
// before that request's feedback, and feedback covers only what was served (bandit feedback).
import {
  createOnlineLearner,
  type DifficultyWeights,
  priorWeight,
  scoreLogit,
  strongFailureWeight,
} from '@forge1/router';
import type { Row } from './data.ts';

/** Settings of a replay. */
export interface ReplayOptions {
  /** Share of requests that try the small model whatever the score. */
  epsilon: number;
  /** Share of requests the policy sends to the strong model. */
  strongShare: number;
  seed: number;
  learningRate?: number;
  denseLearningRate?: number;
  calibrationRate?: number;
}

/** Probabilities before feedback, and the cold-start prior's for the same requests. */
export interface Replay {
  rows: Row[];
  learned: number[];
  prior: number[];
  servedSmall: number;
}

const shuffle = (rows: readonly Row[], seed: number) => {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const copy = [...rows];
  for (let index = copy.length - 1; index > 0; index--) {
    const swap = Math.floor(next() * (index + 1));
    [copy[index], copy[swap]] = [copy[swap]!, copy[index]!];
  }
  return copy;
};

/**
 * Replays a source as one tenant's stream (seeded order). The policy sends the top `strongShare`
 * of recent probabilities to the strong model and the rest, plus an ε share, to the small one;
 * the judge's verdicts are the labels (the data's own grades): a good small answer says a strong
 * model was not needed; a failed one cascades, and the strong answer's verdict says whether it did
 * better; a failed strong answer says escalating would not have helped (at a small weight, as the
 * router does: only failed strong answers give that label). Every strong answer's verdict, good
 * or failed, also teaches the strong head where the strong model fails.
 */
export function replay(rows: readonly Row[], prior: DifficultyWeights, options: ReplayOptions): Replay {
  const stream = shuffle(rows, options.seed);
  const learner = createOnlineLearner(
    { prior, priorWeight },
    {
      epsilon: options.epsilon,
      seed: options.seed,
      ...(options.learningRate ? { learningRate: options.learningRate } : {}),
      ...(options.denseLearningRate !== undefined ? { denseLearningRate: options.denseLearningRate } : {}),
      ...(options.calibrationRate !== undefined ? { calibrationRate: options.calibrationRate } : {}),
    },
  );
  const cold = createOnlineLearner({ prior, priorWeight }, { enabled: false });
  const learned: number[] = [];
  const priorScores: number[] = [];
  const recent: number[] = [];
  let servedSmall = 0;
  for (const row of stream) {
    const features = { dense: row.dense, slots: row.slots };
    // The router's own offset: the hand-written score calibrated, the prior centred on its mean.
    const offset = scoreLogit(row.handScore) - priorWeight * prior.bias;
    const p = learner.probability('tenant', features, offset);
    learned.push(p);
    priorScores.push(cold.probability('tenant', features, offset));
    const sorted = [...recent].sort((a, b) => a - b);
    const cut = sorted.length > 0 ? sorted[Math.floor((1 - options.strongShare) * (sorted.length - 1))]! : 1;
    const small = learner.explore() || p <= cut;
    recent.push(p);
    if (recent.length > 200) recent.shift();
    const strongFailed = row.strong >= 0.5 ? 0 : 1;
    if (small) {
      servedSmall++;
      // A failed small answer cascades: the strong answer's verdict says whether it did better,
      // and teaches the strong head.
      learner.update('tenant', features, row.weak >= 0.5 ? 0 : Math.max(0, row.strong - row.weak), 1, offset);
      if (row.weak < 0.5) learner.updateStrong('tenant', features, strongFailed, 1, offset);
    } else {
      learner.updateStrong('tenant', features, strongFailed, 1, offset);
      if (strongFailed) learner.update('tenant', features, 0, strongFailureWeight, offset);
    }
  }
  return { rows: stream, learned, prior: priorScores, servedSmall };
}
