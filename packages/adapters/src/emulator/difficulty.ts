import { createCatalog, type ModelTier } from '@forge1/core';

const analytic =
  /\b(analy[sz]e|analysis|compare|comparison|design|architect\w*|troubleshoot\w*|debug\w*|diagnos\w*|optimi[sz]e|trade-?offs?|root cause|evaluate|prove|derive|strategy|refactor)\b/gi;
const highStakes =
  /\b(incident|breach|compliance|audit|regulat\w*|legal|liability|forensic\w*|gdpr|hipaa|sox|pci|vulnerabilit\w*|outage|fraud)\b/gi;
const codeOrLogs =
  /```|^\s*at \S+ \(|Traceback \(most recent call last\)|^\s*(ERROR|WARN|FATAL|Exception)\b|^\d{4}-\d\d-\d\d[T ]\d\d:\d\d|^\s*(def|function|class|import|SELECT|const|public)\b/m;

const countMatches = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/**
 * How hard a prompt looks, from 0 (trivial) to 1 (very hard): its length, code or logs in it,
 * analytic verbs (analyse, compare, design, troubleshoot…) and high-stakes topics (incident,
 * breach, compliance, audit…). A heuristic of the emulator's own, cheap and deterministic.
 */
export function estimateDifficulty(text: string): number {
  let score = Math.min(0.25, text.length / 8000);
  if (codeOrLogs.test(text)) score += 0.2;
  score += Math.min(0.35, countMatches(text, analytic) * 0.15);
  score += Math.min(0.4, countMatches(text, highStakes) * 0.2);
  if (countMatches(text, /\?/g) > 2) score += 0.1;
  return Math.min(1, Math.round(score * 100) / 100);
}

const catalog = createCatalog();
const smallNames = /(mini|nano|lite|haiku|turbo|small|tiny)/i;

/** A model's tier from the core catalog; unknown ids are small when named so, else standard. */
export function tierOf(model: string): ModelTier {
  return catalog.get(model)?.tier ?? (smallNames.test(model) ? 'small' : 'standard');
}

/** A model's context window from the core catalog; unknown ids get 128k. */
export function contextWindowOf(model: string): number {
  return catalog.get(model)?.contextWindow ?? 128_000;
}

/** The hardest prompt a tier answers without hedging (advanced models never hedge). */
export const capabilityOf: Record<ModelTier, number> = { small: 0.35, standard: 0.65, advanced: 1 };
