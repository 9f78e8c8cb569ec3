// Measures the cascade judge on real answers: how often it escalates a weak model's answers
// against how often they are wrong, and what a weak → strong cascade recovers at what cost.
// Build first (`npm run eval:verifiers` does). Answers come from a ZeroEval results file
// (github.com/yuchenlin/ZeroEval, result_dirs/<task>/<model>.json: [{ problem, output: [text] }]);
// correctness from the routing data's per-model scores (<data>/<source>.scores.jsonl).
//
//   node scripts/eval-verifiers.ts --answers <weak.json> [--strong-answers <strong.json>]
//     [--data ../shared/routing-data] [--source zeroeval_math_l5]
//     [--weak gpt-4o-mini-2024-07-18] [--strong o1-mini-2024-09-12]
//     [--weak-price 0.15,0.6] [--strong-price 1.1,4.4] [--threshold 0.6]
//     [--heuristics-only]   (the judge without its verifiers, for comparison)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChatResult, resolveTenantPolicy } from '@forge1/core';
import { createRouter } from '@forge1/router';

const { values } = parseArgs({
  options: {
    answers: { type: 'string' },
    'strong-answers': { type: 'string' },
    data: { type: 'string', default: resolve(import.meta.dirname, '../../shared/routing-data') },
    source: { type: 'string', default: 'zeroeval_math_l5' },
    weak: { type: 'string', default: 'gpt-4o-mini-2024-07-18' },
    strong: { type: 'string', default: 'o1-mini-2024-09-12' },
    'weak-price': { type: 'string', default: '0.15,0.6' },
    'strong-price': { type: 'string', default: '1.1,4.4' },
    threshold: { type: 'string', default: '0.6' },
    'heuristics-only': { type: 'boolean', default: false },
  },
});
if (!values.answers) {
  console.error('usage: node scripts/eval-verifiers.ts --answers <ZeroEval results .json> [options]');
  process.exit(2);
}

interface Answer {
  problem: string;
  output: string[];
}
const readAnswers = (path: string) =>
  new Map(
    (JSON.parse(readFileSync(path, 'utf8')) as Answer[]).map((row) => [
      row.problem.trim(),
      row.output[0] ?? '',
    ]),
  );
const weakAnswers = readAnswers(values.answers);
const strongAnswers = values['strong-answers'] ? readAnswers(values['strong-answers']) : undefined;
const scores = readFileSync(resolve(values.data, `${values.source}.scores.jsonl`), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { prompt: string; scores: Record<string, number> });
const price = (text: string) => text.split(',').map(Number) as [number, number];
const [weakIn, weakOut] = price(values['weak-price']);
const [strongIn, strongOut] = price(values['strong-price']);
const tokens = (text: string) => Math.ceil(text.length / 4);

const router = createRouter({
  cascade: { threshold: Number(values.threshold), builtInVerifiers: !values['heuristics-only'] },
});
const policy = resolveTenantPolicy({ id: 'eval', tier: 'standard' });
const result = (text: string): ChatResult => ({
  text,
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 0, outputTokens: tokens(text), cachedInputTokens: 0 },
  provider: 'eval',
  model: values.weak,
  latencyMs: 0,
});

interface Split {
  n: number;
  wrong: number;
  escalated: number;
  escalatedWrong: number;
  weakQuality: number;
  strongQuality: number;
  cascadeQuality: number;
  weakCost: number;
  strongCost: number;
  cascadeCost: number;
}
const empty = (): Split => ({
  n: 0,
  wrong: 0,
  escalated: 0,
  escalatedWrong: 0,
  weakQuality: 0,
  strongQuality: 0,
  cascadeQuality: 0,
  weakCost: 0,
  strongCost: 0,
  cascadeCost: 0,
});
const splits = { tune: empty(), report: empty() };
const byVerifier = new Map<string, { flagged: number; wrong: number }>();

let index = 0;
for (const row of scores) {
  const answer = weakAnswers.get(row.prompt.trim());
  const weakQ = row.scores[values.weak];
  const strongQ = row.scores[values.strong];
  if (answer === undefined || weakQ === undefined || strongQ === undefined) continue;
  const split = index++ % 2 === 0 ? splits.tune : splits.report;
  const request = { messages: [{ role: 'user' as const, content: row.prompt }] };
  const decision = router.decide(request, policy);
  const verdict = await router.judge(result(answer), decision, request);
  const wrong = weakQ < 0.5;
  const input = tokens(row.prompt) + 60;
  const weakCost = input * weakIn + tokens(answer) * weakOut;
  const strongCost = input * strongIn + tokens(strongAnswers?.get(row.prompt.trim()) ?? answer) * strongOut;
  split.n++;
  split.wrong += wrong ? 1 : 0;
  split.weakQuality += weakQ;
  split.strongQuality += strongQ;
  split.weakCost += weakCost;
  split.strongCost += strongCost;
  split.cascadeQuality += verdict.escalate ? strongQ : weakQ;
  split.cascadeCost += weakCost + (verdict.escalate ? strongCost : 0);
  if (verdict.escalate) {
    split.escalated++;
    split.escalatedWrong += wrong ? 1 : 0;
  }
  for (const reason of verdict.reasons) {
    const name = /^([\w-]+(?: [\w.-]+)?):/.exec(reason)?.[1] ?? reason.replace(/\s*\(.*$/, '').split(' ')[0]!;
    if (reason === 'no weakness found') continue;
    const entry = byVerifier.get(name) ?? { flagged: 0, wrong: 0 };
    entry.flagged++;
    entry.wrong += wrong ? 1 : 0;
    byVerifier.set(name, entry);
  }
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
console.log(
  `source ${values.source}: weak ${values.weak}, strong ${values.strong}, judge threshold ${values.threshold}`,
);
for (const [name, s] of Object.entries(splits)) {
  console.log(
    `${name} split: ${s.n} answers, ${pct(s.wrong, s.n)} wrong; judge escalates ${pct(s.escalated, s.n)} ` +
      `(precision ${pct(s.escalatedWrong, s.escalated)}, recall of wrong answers ${pct(s.escalatedWrong, s.wrong)}); ` +
      `cascade quality ${(s.cascadeQuality / s.n).toFixed(3)} (weak ${(s.weakQuality / s.n).toFixed(3)}, strong ` +
      `${(s.strongQuality / s.n).toFixed(3)}) = ${pct(s.cascadeQuality, s.strongQuality)} of always-strong at ` +
      `${pct(s.cascadeCost, s.strongCost)} of its cost`,
  );
}
console.log('reasons (both splits): name, answers flagged, share of them wrong');
for (const [name, entry] of [...byVerifier].sort((a, b) => b[1].flagged - a[1].flagged)) {
  console.log(`  ${name}: ${entry.flagged}, ${pct(entry.wrong, entry.flagged)}`);
}
