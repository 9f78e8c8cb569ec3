import type { ComplexityLevel } from '@forge1/core';
import { twoDecimals } from '../two-decimals.js';
import type { Signals } from './signals.js';

/** Score boundaries between levels: below `simple` is simple, below `moderate` moderate, and so on. */
export interface LevelThresholds {
  simple: number;
  moderate: number;
  complex: number;
}

/**
 * Default boundaries of the score.
 * @default { simple: 0.25, moderate: 0.45, complex: 0.68 }
 */
export const defaultThresholds: Readonly<LevelThresholds> = Object.freeze({
  simple: 0.25,
  moderate: 0.45,
  complex: 0.68,
});

/** A level, a score and why. */
export interface Scored {
  level: ComplexityLevel;
  score: number;
  confidence: number;
  reasons: string[];
}

const privilegedRole =
  /\b(?:ciso|cfo|ceo|cto|coo|counsel|lawyer|attorney|physician|doctor|nurse|clinician|compliance|auditor|security|executive|director|incident|on-?call)\b/;
const casualRole = /\b(?:student|guest|customer|shopper|visitor|child)\b/;

const log2 = Math.log2;
const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/**
 * Turns signals into a score from 0 to 1 and a level. Every contribution that moved the score
 * is named in `reasons`, so a decision can always be explained from its signals. A request
 * reaches `critical` only with a high-stakes keyword (incident, breach, fraud, patient harm…)
 * or with compliance terms under urgency.
 */
export function scoreSignals(signals: Signals, thresholds: LevelThresholds = defaultThresholds): Scored {
  const reasons: string[] = [];
  let score = 0.12;
  const add = (amount: number, reason: string) => {
    if (amount === 0) return;
    score += amount;
    reasons.push(`${reason} (${amount > 0 ? '+' : ''}${twoDecimals(amount)})`);
  };
  const f = signals.families;
  const stakes = f.critical > 0 || f.compliance > 0;
  if (f.greeting > 0 && signals.characters < 80) add(-0.12, 'greeting or thanks');
  if (f.lookup > 0 && signals.characters < 150) add(-0.08, 'status check or lookup');
  // "Should I…" questions are asked for a decision; they read as explain / how-to as well.
  const asks = f.explain + f.decision;
  if (asks > 0) add(0.16 + 0.02 * Math.min(2, asks - 1), `explain / how-to keywords ×${asks}`);
  if (f.analyse > 0)
    add(0.2 + 0.07 * Math.min(3, f.analyse - 1), `analyse / design / troubleshoot keywords ×${f.analyse}`);
  if (f.compliance > 0)
    add(0.1 + 0.04 * Math.min(3, f.compliance - 1), `compliance / legal keywords ×${f.compliance}`);
  if (f.critical > 0)
    add(0.22 + 0.06 * Math.min(3, f.critical - 1), `incident / breach / harm keywords ×${f.critical}`);
  if (f.urgency > 0 && stakes) add(0.2, 'urgent, with something at stake');
  if (f.build > 0) add(0.3 + 0.04 * Math.min(2, f.build - 1), `code or maths to produce ×${f.build}`);
  if (f.factoid > 0 && signals.characters < 90 && f.analyse === 0 && f.build === 0)
    add(-0.1, 'short factual or conversational question');
  const domain = (f.stakes > 0 || f.compliance > 0) && f.educational === 0;
  if (domain && (f.decision > 0 || f.urgency > 0))
    add(0.12, `high-stakes domain ×${f.stakes} with a decision or urgency`);
  else if (f.decision > 0 && (stakes || f.stakes > 0)) add(0.06, 'a consequential decision is asked for');
  if (f.brevity > 0) add(-0.06, 'short answer requested');
  if (f.depth > 0) add(0.06, 'detailed answer requested');

  const length = Math.round(20 * clamp01(log2(signals.characters / 30) / 6)) / 100;
  if (length > 0) add(length, `length (${signals.characters} chars)`);
  if (signals.questions > 1) add(0.04 * Math.min(3, signals.questions - 1), `${signals.questions} questions`);
  if (signals.figures >= 6) add(0.05, `${signals.figures} figures to work with`);
  if (signals.code) add(0.12, 'contains code');
  if (signals.configuration) add(0.08, 'contains configuration');
  if (signals.logs) add(0.1, 'contains logs');
  if (signals.stackTrace) add(0.14, 'contains a stack trace');
  if (signals.maths) add(0.06, 'contains maths');
  if (signals.maxTokens !== null && signals.maxTokens >= 2000)
    add(0.06, `large output requested (${signals.maxTokens} tokens)`);
  if (signals.maxTokens !== null && signals.maxTokens <= 100)
    add(-0.05, `small output requested (${signals.maxTokens} tokens)`);
  if (signals.json === 'object') add(0.03, 'JSON answer required');
  if (signals.json === 'schema')
    add(
      0.06 + Math.min(0.08, 0.01 * signals.schemaFields),
      `JSON schema with ${signals.schemaFields} required fields`,
    );
  if (signals.tools > 0)
    add(0.03 * Math.min(3, signals.tools) + (signals.toolRequired ? 0.03 : 0), `${signals.tools} tools`);
  if (signals.turns > 14) add(0.08, `long conversation (${signals.turns} messages)`);
  else if (signals.turns > 6) add(0.04, `conversation of ${signals.turns} messages`);
  if (signals.role !== null) {
    if (privilegedRole.test(signals.role)) add(0.05, `role "${signals.role}"`);
    else if (casualRole.test(signals.role)) add(-0.03, `role "${signals.role}"`);
  }

  score = Math.round(clamp01(score) * 1000) / 1000;
  // Critical needs something at stake happening now, not just the vocabulary of incidents.
  const atStake =
    f.critical > 0 && (f.urgency > 0 || ((f.compliance > 0 || f.critical > 1) && f.educational === 0));
  // Or a high-stakes domain (health, law, money, production) with a decision or urgency now.
  const domainAtStake = domain && (f.decision > 0 || f.urgency > 0);
  const critical =
    (atStake || domainAtStake || (f.compliance >= 2 && f.urgency > 0)) && score >= thresholds.simple;
  if (critical && score < thresholds.complex) {
    score = thresholds.complex;
    reasons.push('raised to critical: something at stake, happening now');
  } else if (!critical && score >= thresholds.complex) {
    score = thresholds.complex - 0.001;
    reasons.push('capped at complex: nothing at stake happening now');
  }
  const level: ComplexityLevel =
    score < thresholds.simple
      ? 'simple'
      : score < thresholds.moderate
        ? 'moderate'
        : score < thresholds.complex
          ? 'complex'
          : 'critical';
  const distance = Math.min(
    Math.abs(score - thresholds.simple),
    Math.abs(score - thresholds.moderate),
    Math.abs(score - thresholds.complex),
  );
  const confidence = Math.round((0.5 + 0.5 * clamp01(distance / 0.1)) * 100) / 100;
  return { level, score, confidence, reasons };
}
