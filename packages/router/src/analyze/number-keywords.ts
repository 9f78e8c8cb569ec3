// The keyword pass's cheap test for keywords that start with a number, before their pattern.

// The shapes such keywords have in the sources: each needs, after the number's run of digits, dots
// and commas, a space, a `k` or an `m` (`\d+ (?:minutes|hours) ago`, `\d[\d,.]*k? (?:transactions|…)`,
// `\d+ ?mg\b`). Most numbers of a prompt (dates, times, ids, versions) are followed by none of these.
const numberShapes = [String.raw`\d+ `, String.raw`\d+ ?m`, String.raw`\d[\d,.]*k? `];

/**
 * True when every alternative that starts with a digit has one of the known shapes, so that
 * {@link numberMayStart} never skips one that could match; false turns the test off.
 */
export function numberKeywordsShaped(alternatives: readonly string[]): boolean {
  return alternatives.every(
    (source) => !source.startsWith('\\d') || numberShapes.some((shape) => source.startsWith(shape)),
  );
}

/** False when no keyword of a known shape can start with the number at `index` of `text`. */
export function numberMayStart(text: string, index: number): boolean {
  let at = index + 1;
  for (;;) {
    const code = text.charCodeAt(at);
    if (!((code >= 48 && code <= 57) || code === 46 || code === 44)) break;
    at++;
  }
  const after = text.charCodeAt(at);
  return after === 32 || after === 107 || after === 109;
}
