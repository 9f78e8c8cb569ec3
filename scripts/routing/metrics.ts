// Routing quality measures over prompts with a weak and a strong model's quality: each ordering
// sends the highest-scored share of prompts to the strong model.

/** A prompt's outcome under each model and the score that orders it. */
export interface Scored {
  score: number;
  weak: number;
  strong: number;
}

/**
 * Quality of routing the top k prompts (by score, ties averaged) to the strong model, for
 * k = 0 … n, as the performance-gap-recovered (0 = always weak, 1 = always strong).
 */
export function gapRecoveredCurve(items: readonly Scored[]): number[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const weakTotal = sorted.reduce((sum, item) => sum + item.weak, 0);
  const strongTotal = sorted.reduce((sum, item) => sum + item.strong, 0);
  const gap = strongTotal - weakTotal;
  const curve = [0];
  let gained = 0;
  // Ties share their gain evenly, so a constant score scores like random order.
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end < sorted.length && sorted[end]!.score === sorted[start]!.score) end++;
    let tieGain = 0;
    for (let index = start; index < end; index++) tieGain += sorted[index]!.strong - sorted[index]!.weak;
    for (let index = start; index < end; index++) {
      gained += tieGain / (end - start);
      curve.push(gap === 0 ? 0 : gained / gap);
    }
    start = end;
  }
  return curve;
}

/** Area under the gap-recovered curve over the strong share 0 … 1 (0.5 for random order). */
export function apgr(items: readonly Scored[]): number {
  const curve = gapRecoveredCurve(items);
  let area = 0;
  for (let index = 1; index < curve.length; index++) area += (curve[index - 1]! + curve[index]!) / 2;
  return area / Math.max(1, curve.length - 1);
}

/** Smallest strong share whose routing recovers `target` of the gap (CPT). */
export function callPerformanceThreshold(items: readonly Scored[], target: number): number {
  const curve = gapRecoveredCurve(items);
  const index = curve.findIndex((value) => value >= target - 1e-12);
  return index < 0 ? 1 : index / (curve.length - 1);
}

/** Smallest strong share whose routing reaches `share` of always-strong quality. */
export function strongShareFor(items: readonly Scored[], share: number): number {
  const curve = gapRecoveredCurve(items);
  const weak = items.reduce((sum, item) => sum + item.weak, 0);
  const strong = items.reduce((sum, item) => sum + item.strong, 0);
  const index = curve.findIndex((value) => weak + value * (strong - weak) >= share * strong - 1e-9);
  return index < 0 ? 1 : index / (curve.length - 1);
}
