// Reads the routing data set (per-prompt outcomes of a weaker and a stronger model from public
// sources) and the features the router computes for each prompt. The data stays where it is.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readDifficultyInput } from '@forge1/router';

/** One prompt with the weak and strong model's quality and the mean quality of every model. */
export interface Row {
  prompt: string;
  source: string;
  group: string;
  weak: number;
  strong: number;
  /** Mean quality over every model that answered the prompt (the scores file). */
  meanQuality: number;
  /** The router's hand-written score. */
  handScore: number;
  dense: Float64Array;
  slots: Uint32Array;
}

/** Sources whose licence allows training the weights shipped in an MIT package (SOURCES.md). */
export const trainableSources: readonly string[] = [
  'arena_bench_v1',
  'routerarena',
  'zeroeval_crux',
  'zeroeval_math_l5',
  'llmrouter_dcrouter',
];
/** Sources for evaluation only: non-commercial or unverified licences. */
export const evaluationOnlySources: readonly string[] = ['alpaca_eval_gpt4turbo', 'routerbench'];

/** The data folder: FORGE1_ROUTING_DATA, else ../shared/routing-data beside the repository. */
export function dataDirectory(root: string): string {
  const folder = process.env.FORGE1_ROUTING_DATA ?? resolve(root, '..', 'shared', 'routing-data');
  if (!existsSync(join(folder, 'SOURCES.md'))) {
    throw new Error(
      `routing data not found in ${folder}: set FORGE1_ROUTING_DATA to the folder holding SOURCES.md`,
    );
  }
  return folder;
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Every pair row of every source, with the router's features, in file order. */
export function loadRows(folder: string, sources: readonly string[]): Row[] {
  const rows: Row[] = [];
  for (const source of sources) {
    const means = new Map<string, number>();
    const scoresFile = join(folder, `${source}.scores.jsonl`);
    if (existsSync(scoresFile)) {
      for (const entry of lines(scoresFile)) {
        const values = Object.values(entry.scores as Record<string, number>);
        means.set(entry.prompt as string, values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));
      }
    }
    for (const entry of lines(join(folder, `${source}.jsonl`))) {
      const prompt = entry.prompt as string;
      const weak = (entry.weak as { quality: number }).quality;
      const strong = (entry.strong as { quality: number }).quality;
      const input = readDifficultyInput({ messages: [{ role: 'user', content: prompt }] });
      rows.push({
        prompt,
        source,
        group: String(entry.group ?? ''),
        weak,
        strong,
        meanQuality: means.get(prompt) ?? (weak + strong) / 2,
        handScore: input.analysis.score,
        dense: Float64Array.from(input.dense),
        slots: input.sketch.slots.slice(0, input.sketch.count),
      });
    }
  }
  return rows;
}
