import type { ChatRequest } from '@forge1/core';
import type { Analysis } from '../analyze/analyze-request.js';
import { withMediaFloor } from '../analyze/analyze-request.js';
import { type KeywordFamily, keywordFamilies } from '../analyze/keyword-families.js';
import { NgramHasher, type NgramSketch, type TextProfile } from '../analyze/ngram-hasher.js';
import { scoreSignals } from '../analyze/score-signals.js';
import { extractSignals } from '../analyze/signals.js';

// Features meant to carry across domains: shape of the request (length in log space, lines,
// options, lists, constraints), maths and code density, conversation structure, the keyword
// families and the hand-written score. Each lies roughly in 0..1.
const shapeNames = [
  'hand score',
  'log characters',
  'log lines',
  'questions',
  'log figures',
  'digit density',
  'maths symbol density',
  'code symbol density',
  'non-ASCII share',
  'option lines',
  'list lines',
  'word length',
  'distinct word share',
  'code',
  'maths',
  'technical material',
  'json',
  'tools',
  'log turns',
  'assistant turns',
  'log conversation',
  'system prompt',
  'max tokens',
] as const;

/** Names of the dense features of the difficulty model, in vector order (keyword families last). */
export const denseFeatureNames: readonly string[] = [
  ...shapeNames,
  ...keywordFamilies.map((family) => `family ${family}`),
];

/** The number of dense features. */
export const denseSize: number = denseFeatureNames.length;

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const logScale = (value: number, top: number) => clamp01(Math.log1p(value) / Math.log1p(top));

/** The dense features of an analysed request. */
export function denseFeatures(
  analysis: Analysis,
  profile: TextProfile,
  request: ChatRequest,
  into: Float64Array = new Float64Array(denseSize),
): Float64Array {
  const s = analysis.signals;
  const characters = Math.max(1, profile.characters);
  let assistant = 0;
  let system = 0;
  for (const message of request.messages) {
    if (message.role === 'assistant') assistant++;
    else if (message.role === 'system') system = 1;
  }
  const values = [
    analysis.score,
    logScale(s.characters, 20_000),
    logScale(s.lines, 400),
    clamp01(s.questions / 5),
    logScale(s.figures, 200),
    clamp01((profile.digits / characters) * 5),
    clamp01((profile.mathsSymbols / characters) * 20),
    clamp01((profile.codeSymbols / characters) * 10),
    clamp01(profile.nonAscii / characters),
    clamp01(profile.optionLines / 4),
    logScale(profile.listLines, 40),
    clamp01((characters / Math.max(1, profile.words) - 3) / 6),
    profile.words > 0 ? profile.distinctWords / profile.words : 1,
    s.code ? 1 : 0,
    s.maths ? 1 : 0,
    s.configuration || s.logs || s.stackTrace ? 1 : 0,
    s.json === 'schema' ? 1 : s.json === 'object' ? 0.5 : 0,
    s.tools > 0 ? 1 : 0,
    logScale(s.turns - 1, 30),
    clamp01(assistant / 10),
    logScale(s.conversationCharacters - s.characters, 50_000),
    system,
    s.maxTokens === null ? 0 : logScale(s.maxTokens, 16_000),
  ];
  values.forEach((value, index) => {
    into[index] = value;
  });
  keywordFamilies.forEach((family: KeywordFamily, index) => {
    into[shapeNames.length + index] = clamp01(s.families[family] / 2);
  });
  return into;
}

/** A request read for the difficulty model: the explained analysis, dense features and n-grams. */
export interface DifficultyInput {
  analysis: Analysis;
  dense: Float64Array;
  /** Valid until the next request is read; copy `slots.subarray(0, count)` to keep it. */
  sketch: NgramSketch;
}

const sharedHasher = new NgramHasher();

/**
 * Analyses a request and reads its difficulty features in the same call: the signals, the hand-written score, dense shape features and hashed word and character n-grams.
 * @example
 * ```ts
 * const input = readDifficultyInput({ messages: [{ role: 'user', content: 'Prove that √2 is irrational.' }] });
 * input.sketch.count; // distinct hashed n-grams
 * ```
 */
export function readDifficultyInput(
  request: ChatRequest,
  options: { role?: string; thresholds?: Parameters<typeof scoreSignals>[1]; hasher?: NgramHasher } = {},
): DifficultyInput {
  const ngrams: { hasher: NgramHasher; sketch?: NgramSketch } = { hasher: options.hasher ?? sharedHasher };
  const signals = extractSignals(request, options.role, ngrams);
  const sketch = ngrams.sketch!;
  const scored = withMediaFloor(scoreSignals(signals, options.thresholds), request, options.thresholds);
  const analysis: Analysis = { ...scored, signals };
  return { analysis, dense: denseFeatures(analysis, sketch.profile, request), sketch };
}
