/** Text of an answer to read arithmetic and final answers from: JSON string values, or prose without code. */
export function proseOf(text: string): string {
  const json = parseJsonBody(text);
  if (json !== undefined) {
    const strings: string[] = [];
    collectStrings(json, strings);
    if (strings.length > 0) return strings.join('\n');
  }
  return text
    .replace(/```(\w*)[^\n]*\n?([\s\S]*?)(?:```|$)/g, (_, language: string, body: string) =>
      language === '' || language.toLowerCase() === 'json' ? `\n${jsonStrings(body)}\n` : '\n',
    )
    .replace(/`[^`\n]*`/g, ' ');
}

function jsonStrings(body: string): string {
  try {
    const strings: string[] = [];
    collectStrings(JSON.parse(body), strings);
    return strings.join('\n');
  } catch {
    return '';
  }
}

/** The last fenced block of an answer that parses as JSON, or undefined. */
export function lastJsonBlock(text: string): unknown {
  const whole = parseJsonBody(text);
  if (whole !== undefined) return whole;
  const blocks = [...text.matchAll(/```(?:json|JSON)?[ \t]*\n([\s\S]*?)```/g)];
  for (const block of blocks.reverse()) {
    try {
      return JSON.parse(block[1]!);
    } catch {
      // Not JSON: try the block before.
    }
  }
  return undefined;
}

/** The answer parsed as JSON (whole text or one fenced block), or undefined. */
export function parseJsonBody(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /^```(?:json|JSON)?\s*\n?([\s\S]*?)\s*```$/.exec(trimmed);
  const body = fenced ? fenced[1]! : trimmed;
  if (!body.startsWith('{') && !body.startsWith('[')) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number') into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectStrings(item, into);
}

/**
 * Replaces the notation of written arithmetic by plain operators: × · ⋅ \times \cdot and "3 x 4"
 * become *, ÷ and \div become /, dashes become minus, \frac{a}{b} becomes (a)/(b); currency signs,
 * thousands separators and LaTeX delimiters are dropped.
 */
export function normaliseArithmetic(text: string): string {
  let out = text
    .replace(/\\(?:times|cdot)/g, '*')
    .replace(/\\div/g, '/')
    .replace(/\\left|\\right|\\[()[\]]|\\!|\\,/g, '')
    .replace(/\\dfrac|\\tfrac/g, '\\frac');
  let previous = '';
  while (previous !== out) {
    previous = out;
    out = out.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '(($1)/($2))');
  }
  out = out
    .replace(/[×·⋅∙]/g, '*')
    .replace(/÷/g, '/')
    .replace(/[−–]/g, '-')
    .replace(/\*\*/g, '^')
    .replace(/[{]/g, '(')
    .replace(/[}]/g, ')')
    .replace(/[$€£]/g, '')
    .replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
  previous = '';
  while (previous !== out) {
    previous = out;
    out = out.replace(/(\d)[ \t]*[xX][ \t]*(\d)/g, '$1*$2').replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
  }
  return out;
}
