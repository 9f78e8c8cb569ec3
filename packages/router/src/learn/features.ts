import type { Analysis } from '../analyze/analyze-request.js';

/** Names of the learner's features, in vector order. */
export const featureNames: readonly string[] = [
  'bias',
  'score',
  'greeting',
  'lookup',
  'explain',
  'analyse',
  'compliance',
  'critical',
  'urgency',
  'length',
  'questions',
  'code',
  'technical material',
  'maths',
  'json',
  'tools',
  'conversation',
];

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** The analysis as a vector of numbers in 0..1, for the online policy. */
export function toFeatures(analysis: Analysis): number[] {
  const s = analysis.signals;
  const f = s.families;
  return [
    1,
    analysis.score,
    f.greeting > 0 ? 1 : 0,
    f.lookup > 0 ? 1 : 0,
    f.explain > 0 ? 1 : 0,
    clamp01(f.analyse / 3),
    clamp01(f.compliance / 3),
    clamp01(f.critical / 3),
    f.urgency > 0 ? 1 : 0,
    clamp01(Math.log2(Math.max(1, s.characters / 30)) / 6),
    clamp01(s.questions / 4),
    s.code ? 1 : 0,
    s.configuration || s.logs || s.stackTrace ? 1 : 0,
    s.maths ? 1 : 0,
    s.json === 'schema' ? 1 : s.json === 'object' ? 0.5 : 0,
    s.tools > 0 ? 1 : 0,
    clamp01(s.turns / 20),
  ];
}
