// Evaluates the router's difficulty model on the routing data set and writes the figures to
// docs/benchmarks.md: leave-one-source-out ordering quality against baselines, the strong share
// needed for 95 % of always-strong quality, an oracle cascade, and prequential learning curves.
// Run with `npm run eval:routing` (FORGE1_ROUTING_DATA overrides ../shared/routing-data).
import { resolve } from 'node:path';
import { priorWeight, scoreLogit } from '@forge1/router';
import { writeSection } from '../bench/report.ts';
import {
  dataDirectory,
  evaluationOnlySources,
  loadRows,
  type Row,
  trainableSources,
} from './routing/data.ts';
import { apgr, callPerformanceThreshold, type Scored, strongShareFor } from './routing/metrics.ts';
import { replay } from './routing/prequential.ts';
import { defaultTrainOptions, logitOf, train } from './routing/trainer.ts';

const root = resolve(import.meta.dirname, '..');
const sources = [...trainableSources, ...evaluationOnlySources];
const rows = loadRows(dataDirectory(root), sources);
const bySource = (source: string) => rows.filter((row) => row.source === source);
const scored = (items: readonly Row[], score: (row: Row, index: number) => number): Scored[] =>
  items.map((row, index) => ({ score: score(row, index), weak: row.weak, strong: row.strong }));
const f2 = (value: number) => value.toFixed(2);
const f3 = (value: number) => value.toFixed(3);
const pct = (value: number) => `${Math.round(value * 100)} %`;

// Output-price ratio strong / weak per source (SOURCES.md); llmrouter's strong model has no listed price.
const priceRatio: Record<string, number | undefined> = {
  alpaca_eval_gpt4turbo: 30 / 2,
  arena_bench_v1: 30 / 2,
  routerbench: 0.00503 / 0.000249,
  routerarena: 0.4 / 1.25,
  zeroeval_crux: 10 / 0.6,
  zeroeval_math_l5: 12 / 0.6,
  llmrouter_dcrouter: undefined,
};

interface SourceResult {
  source: string;
  count: number;
  length: number;
  hand: number;
  prior: number;
  model: number;
  cpt50: number;
  cpt80: number;
  share95: number;
  lengthShare95: number;
  cascadeQuality: number;
  cascadeCost: number | undefined;
  prequential?: { cold: number; second: number; curve: Array<{ cold: number; learned: number }> };
  /** Decide score when the rest of the source is in training (3-fold), trainable sources only. */
  inDomain?: number;
}

const decideScore = (model: ReturnType<typeof train>, row: Row) =>
  scoreLogit(row.handScore) + priorWeight * (logitOf(model, row) - model.bias);

/** Mean decide-score APGR over 3 folds of a source, each scored by a prior trained on everything else. */
function inDomain(source: string): number {
  const folds = 3;
  let total = 0;
  for (let fold = 0; fold < folds; fold++) {
    const held = (row: Row, index: number) => row.source === source && index % folds === fold;
    const model = train(
      rows.filter((row, index) => trainableSources.includes(row.source) && !held(row, index)),
      defaultTrainOptions,
    );
    const test = rows.filter(held);
    total += apgr(scored(test, (row) => decideScore(model, row)));
  }
  return total / folds;
}

const results: SourceResult[] = [];
for (const source of sources) {
  const test = bySource(source);
  const training = rows.filter((row) => row.source !== source && trainableSources.includes(row.source));
  const model = train(training, defaultTrainOptions);
  const priorScores = scored(test, (row) => logitOf(model, row));
  // What decide() returns at cold start: the hand-written score calibrated, reordered by the prior.
  const modelScores = scored(test, (row) => decideScore(model, row));
  const lengthScores = scored(test, (row) => row.prompt.length);
  // An oracle cascade: the small answer first, escalated exactly when it failed (no answer texts here).
  const strongTotal = test.reduce((sum, row) => sum + row.strong, 0);
  const cascadeTotal = test.reduce((sum, row) => sum + (row.weak >= 0.5 ? row.weak : row.strong), 0);
  const failed = test.filter((row) => row.weak < 0.5).length / test.length;
  const ratio = priceRatio[source];
  const result: SourceResult = {
    source,
    count: test.length,
    length: apgr(lengthScores),
    hand: apgr(scored(test, (row) => row.handScore)),
    prior: apgr(priorScores),
    model: apgr(modelScores),
    cpt50: callPerformanceThreshold(modelScores, 0.5),
    cpt80: callPerformanceThreshold(modelScores, 0.8),
    share95: strongShareFor(modelScores, 0.95),
    lengthShare95: strongShareFor(lengthScores, 0.95),
    cascadeQuality: cascadeTotal / strongTotal,
    cascadeCost: ratio === undefined ? undefined : (1 + failed * ratio) / ratio,
    ...(trainableSources.includes(source) ? { inDomain: inDomain(source) } : {}),
  };
  if (test.length >= 2000 || source === 'zeroeval_crux' || source === 'zeroeval_math_l5') {
    const run = replay(test, model, { epsilon: 0.1, strongShare: 0.5, seed: 11 });
    const half = Math.floor(run.rows.length / 2);
    const window = (from: number, to: number, scores: number[]) =>
      apgr(scored(run.rows.slice(from, to), (_, index) => scores[from + index]!));
    const tenth = Math.floor(run.rows.length / 5);
    result.prequential = {
      cold: window(half, run.rows.length, run.prior),
      second: window(half, run.rows.length, run.learned),
      curve: [0, 1, 2, 3, 4].map((part) => ({
        cold: window(part * tenth, (part + 1) * tenth, run.prior),
        learned: window(part * tenth, (part + 1) * tenth, run.learned),
      })),
    };
  }
  results.push(result);
  console.log(
    `${source.padEnd(22)} n=${String(test.length).padStart(5)} length ${f3(result.length)} hand ${f3(result.hand)} prior ${f3(result.prior)} decide ${f3(result.model)}${result.prequential ? ` prequential cold ${f3(result.prequential.cold)} → ${f3(result.prequential.second)}` : ''}`,
  );
}

const large = results.filter((result) => result.count >= 500);
const margin = large.reduce((sum, result) => sum + result.model - result.length, 0) / large.length;
const beaten = large.filter((result) => result.model > result.length).length;
const row = (result: SourceResult) =>
  `| ${result.source}${trainableSources.includes(result.source) ? '' : ' (eval only)'} | ${result.count} | ${f3(result.length)} | ${f3(result.hand)} | ${f3(result.prior)} | **${f3(result.model)}** | ${f3(result.model - result.length)} | ${pct(result.cpt50)} | ${pct(result.cpt80)} | ${pct(result.share95)} (length ${pct(result.lengthShare95)}) | ${result.inDomain === undefined ? 'not trained on' : f3(result.inDomain)} |`;
const cascadeRow = (result: SourceResult) =>
  `| ${result.source} | ${pct(result.cascadeQuality)} | ${result.cascadeCost === undefined ? 'no price' : pct(result.cascadeCost)} |`;
const learning = results.filter((result) => result.prequential);
const learningRow = (result: SourceResult) =>
  `| ${result.source} | ${result.count} | ${f3(result.prequential!.cold)} | **${f3(result.prequential!.second)}** | ${f3(result.prequential!.second - result.prequential!.cold)} | ${result.prequential!.curve.map((point) => `${f2(point.cold)} → ${f2(point.learned)}`).join(' · ')} |`;

const markdown = `
The router's difficulty model on the routing data set (per-prompt outcomes of a weaker and a
stronger model from public benchmarks; see the router README's model card). Each source is
scored by a prior trained **without it** (leave-one-source-out), on the sources whose licence
allows training only; the evaluation-only sources are never trained on. APGR is the area under
the quality-recovered curve when the highest-scored share of prompts goes to the strong model
(0.5 = random order). The decide score is what \`decide()\` returns at cold start: a base
probability per level (the hand-written calibration below the simple boundary), reordered by the
prior (the prior alone is shown beside it). CPT(x) is the strong share needed to recover x of the gap; the next column
is the strong share needed for 95 % of always-strong quality. The last column is the decide score
when the rest of the source is in training (three folds, each scored by a prior trained on the
other two and the other trainable sources): what the shipped prior gives on prompts like those
it was trained on, against the transfer to an unseen source the other columns measure.

| source | prompts | length | hand-written score | prior alone | decide score | decide − length | CPT(50 %) | CPT(80 %) | strong share for 95 % | decide, source in training (3-fold) |
|---|---|---|---|---|---|---|---|---|---|---|
${results.map(row).join('\n')}

On the ${large.length} sources with ≥ 500 prompts the decide score beats prompt length on ${beaten}, by ${f3(margin)} on average.

**Cascade.** The data holds qualities, not answer texts, so the router's judge cannot be run on it.
The table gives the bound a cascade reaches with a judge that escalates exactly the failed small
answers: quality against always-strong (above 100 % where the weak model's good answers beat the
strong model's), and cost against always-strong from the list output prices (routerarena's
"strong" model is the cheaper one).

| source | oracle-cascade quality | cost vs always-strong |
|---|---|---|
${results.map(cascadeRow).join('\n')}

**Prequential learning.** Each source replayed (seeded order) as one tenant's stream through the
router's online learner, starting from the leave-one-source-out prior. Each probability is taken
before that request's feedback; half of the recent requests go to the strong model, the rest and
an ε = 0.1 share to the small one, and only served answers give feedback, as the gateway reports
it (the data's own grades stand in for the judge, i.e. a perfect judge): a good small answer
teaches 0, a failed one cascades and the strong answer's grade teaches whether it did better, a
failed strong answer teaches 0 at weight \`strongFailureWeight\` (only failed strong answers give
that label, so at full weight it biases the learner); every strong answer's grade, the cascaded
ones' too, teaches the strong head where the strong model fails. Second-half APGR against the cold-start prior on the same requests,
and the curve over five fifths of the stream (cold → learned):

| source | prompts | cold start (2nd half) | learned (2nd half) | gain | fifths of the stream |
|---|---|---|---|---|---|
${learning.map(learningRow).join('\n')}
`;
writeSection('routing', 'Router: difficulty model on public routing data', markdown);
console.log(markdown);
