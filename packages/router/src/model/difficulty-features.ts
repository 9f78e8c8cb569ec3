import type { ChatRequest } from '@forge1/core';
import { type Analysis, withMediaFloor, withSignals } from '../analyze/analyze-request.js';
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
  'log words',
  'log digits',
  'log maths symbols',
  'log code symbols',
  'log distinct words',
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
  // Written in place: no array per request on the decide path.
  into[0] = analysis.score;
  into[1] = logScale(s.characters, 20_000);
  into[2] = logScale(s.lines, 400);
  into[3] = clamp01(s.questions / 5);
  into[4] = logScale(s.figures, 200);
  into[5] = clamp01((profile.digits / characters) * 5);
  into[6] = clamp01((profile.mathsSymbols / characters) * 20);
  into[7] = clamp01((profile.codeSymbols / characters) * 10);
  into[8] = clamp01(profile.nonAscii / characters);
  into[9] = clamp01(profile.optionLines / 4);
  into[10] = logScale(profile.listLines, 40);
  into[11] = clamp01((characters / Math.max(1, profile.words) - 3) / 6);
  into[12] = profile.sketchedWords > 0 ? profile.distinctWords / profile.sketchedWords : 1;
  into[13] = s.code ? 1 : 0;
  into[14] = s.maths ? 1 : 0;
  into[15] = s.configuration || s.logs || s.stackTrace ? 1 : 0;
  into[16] = s.json === 'schema' ? 1 : s.json === 'object' ? 0.5 : 0;
  into[17] = s.tools > 0 ? 1 : 0;
  into[18] = logScale(s.turns - 1, 30);
  into[19] = clamp01(assistant / 10);
  into[20] = logScale(s.conversationCharacters - s.characters, 50_000);
  into[21] = system;
  into[22] = s.maxTokens === null ? 0 : logScale(s.maxTokens, 16_000);
  into[23] = logScale(profile.words, 4000);
  into[24] = logScale(profile.digits, 2000);
  into[25] = logScale(profile.mathsSymbols, 1000);
  into[26] = logScale(profile.codeSymbols, 2000);
  into[27] = logScale(profile.distinctWords, 2000);
  for (let index = 0; index < keywordFamilies.length; index++) {
    const family: KeywordFamily = keywordFamilies[index]!;
    into[shapeNames.length + index] = clamp01(s.families[family] / 2);
  }
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
  options: {
    role?: string;
    thresholds?: Parameters<typeof scoreSignals>[1];
    hasher?: NgramHasher;
    /** Where to write the dense features (then valid until the next request is read). @default a new array */
    dense?: Float64Array;
  } = {},
): DifficultyInput {
  const ngrams: { hasher: NgramHasher; sketch?: NgramSketch } = { hasher: options.hasher ?? sharedHasher };
  const signals = extractSignals(request, options.role, ngrams);
  const sketch = ngrams.sketch!;
  const scored = withMediaFloor(scoreSignals(signals, options.thresholds), request, options.thresholds);
  const analysis = withSignals(scored, signals);
  return { analysis, dense: denseFeatures(analysis, sketch.profile, request, options.dense), sketch };
}
