/** A family of keywords that hints at how demanding a request is. */
export type KeywordFamily =
  | 'greeting'
  | 'lookup'
  | 'explain'
  | 'analyse'
  | 'compliance'
  | 'critical'
  | 'urgency'
  | 'educational'
  | 'brevity'
  | 'depth';

/** The keyword families, in the order of their capture groups in {@link keywordPattern}. */
export const keywordFamilies: readonly KeywordFamily[] = [
  'greeting',
  'lookup',
  'explain',
  'analyse',
  'compliance',
  'critical',
  'urgency',
  'educational',
  'brevity',
  'depth',
];

// Stems, so that "analyse", "analyzed" and "analysis" all hit; each family is one capture group.
const sources: Record<KeywordFamily, string> = {
  greeting: String.raw`(?:hi|hello|hey|thanks|thank you|thx|good (?:morning|afternoon|evening)|bye|goodbye|cheers|got it|ok(?:ay)? great|nice to meet)\b`,
  lookup: `(?:status|track(?:ing)?|where is my|where do i|when (?:will|is|does) (?:my|it|the)|open today|open on|opening hours|visiting hours|business hours|what time|balance|due date|in stock|update on|capital of|stand for|spell|synonym|translate|how do you say|convert|exchange rate|how (?:many|much) (?:is|does|are|do)|what day|cancel my|reset link|update my|confirm|reschedule|password|capitali[sz]e|extension|fax number)`,
  explain: String.raw`(?:explain|how (?:do|does|can|should|would|is|are)\b|how to|what (?:is|are|does) (?:a|an|the)\b|what are (?:the |some )?(?:common|main|key|typical)|why (?:do|does|would|is|are)|when should|can i\b|should i\b|describe|summar(?:y|ies|i[sz])|walk me through|step[- ]by[- ]step|guide|tutorial|example|difference between|differ|versus|vs\.?\s|pros and cons|tips|best practice|draft|write (?:a|an|me|the)|rewrite|outline|ideas|in plain language|means?\b|meaning\b|what should)`,
  analyse: String.raw`(?:analy[sz](?:e|es|ed|ing|is)\b|compar|evaluat|assess|design|architect|troubleshoot|debug|diagnos|root cause|investigat|optimi[sz]|refactor|trade-?offs?|bottleneck|scal(?:e|ing|ability)\b|migrat|strateg|forecast|scenario|reconcil|recommend|justify|code review|review (?:this|the|our)|differential|threat model|latency|memory leak|race condition|regression|crash|oomkill|fail(?:s|ing|ed)?\b|slow|dropped|grew|contradict|implication|enforceab|prove|derive|model (?:three|the|a)|plan (?:the|a)|prioriti[sz]ed|idempoten|exactly-once|concurren|edge cases|find the|why\?|pattern|significan|pitfall|hypothes|confounder|leverage|negotiat|recogni[sz]e revenue)`,
  compliance: String.raw`(?:complian|regulat|audit|legal|liabilit|contract|gdpr|hipaa|sox\b|pci|soc ?2|fcpa|ferpa|coppa|fca\b|sec\b|fda\b|cftc|ofac|aml\b|sar\b|privacy|consent|disclos|obligation|notif|lawsuit|litigation|subpoena|court|counsel|regulator|board\b|audit committee|insurance|ico\b)`,
  critical: String.raw`(?:incident|outage|breach|compromis|ransom|malware|exfiltrat|leaked|data leak|exposed|exposure|publicly (?:readable|accessible)|attack|intrusion|unauthori[sz]ed|unauthenticated|zero[- ]day|cve-\d|exploit|hijack|skimm|sev-?[01]\b|is down\b|are down\b|went down\b|goes down\b|completely down\b|crashloop|data loss|deleted|corrupt|fraud|launder|sanction|structuring|material weakness|restate|mis-?sold|bribery|whistleblow|forged|tamper|backdat|overdose|pills\b|anaphyla|swelling|wheez|bleeding|confused|suicid|kill (?:my|him|her)self|assault|sexual|minors?\b|recall\b|hospitali[sz]ation|adverse|critical value|inr\b|potassium|bp \d|stolen|impersonat|ddos|takeover|taken over|credential stuffing|insider|scada|failover|losing (?:thousands|money|power|\$)|lost (?:thousands|money|power|\$)|bank run|withdrew|liquidity|penalt(?:y|ies) for late|secret key|access keys|live key|wrong (?:external|recipient|address)|erroneous|sdn list|investigation|other (?:customers|users|patients)'?|personal data|subpoena|lawsuit|class-action)`,
  urgency: String.raw`(?:urgent|urgently|immediate(?:ly)?|suddenly|ongoing|is being|are being|we (?:suspect|detected|discovered|found)|detected|flagged|asap|right now|this (?:minute|morning)|tonight|today\b|tomorrow\b|yesterday|last night|just (?:found|discovered|learned|realised|realized|received|noticed|got|identified|called|texted|reported)|an hour ago|\d+ (?:minutes|hours) ago|in the (?:next|last) (?:hour|\d+)|still (?:live|happening|ongoing)|currently|are failing|since \d|what (?:do|should|must) (?:i|we) do|what do i do|what now|now\b|already (?:impacted|affected)|help!|within \d+ (?:working )?days|is peaking|in the field)`,
  educational: String.raw`(?:draft|template|post-?mortem|last (?:week|month)'?s?\b|threat model|what is an?\b|what's the difference|difference between|for example|hypothetical|in general|typically|common ways|training|checklist)`,
  brevity: `(?:in one (?:sentence|word|line)|briefly|one-liner|yes or no|short answer|tl;?dr|just the)`,
  depth: `(?:in detail|detailed|in depth|in-depth|comprehensive|thorough|full report|essay|include tests|show the|with reasoning|walk through|justify)`,
};

/** Splits `(?:a|b|c)` (optionally followed by `\\b`) into its top-level alternatives. */
function alternatives(source: string): string[] {
  const trailing = source.endsWith(')\\b') ? '\\b' : '';
  const inner = source.slice(3, source.length - 1 - trailing.length);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < inner.length; index++) {
    const char = inner[index];
    if (char === '\\') index++;
    else if (char === '[') index = inner.indexOf(']', index);
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(inner.slice(start, index) + trailing);
      start = index + 1;
    }
  }
  parts.push(inner.slice(start) + trailing);
  return parts;
}

const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);

interface Bucket {
  pattern: RegExp;
  /** Family of each capture group. */
  families: KeywordFamily[];
}

/**
 * One sticky regular expression per first character of a keyword, each with one capture group
 * per family: at a word start only the keywords that can begin there are tried. Compiled once.
 */
const buckets: Array<Bucket | undefined> = (() => {
  const byChar = new Map<number, Map<number, string[]>>();
  keywordFamilies.forEach((family, familyIndex) => {
    for (const alternative of alternatives(sources[family])) {
      const chars = alternative.startsWith('\\d') ? '0123456789' : alternative[0]!.toLowerCase();
      for (const char of chars) {
        const code = char.charCodeAt(0);
        const families = byChar.get(code) ?? new Map<number, string[]>();
        byChar.set(code, families);
        families.set(familyIndex, [...(families.get(familyIndex) ?? []), alternative]);
      }
    }
  });
  const table: Array<Bucket | undefined> = [];
  for (const [code, families] of byChar) {
    const order = [...families.keys()].sort((a, b) => a - b);
    const pattern = new RegExp(order.map((index) => `(${families.get(index)!.join('|')})`).join('|'), 'y');
    table[code] = { pattern, families: order.map((index) => keywordFamilies[index]!) };
  }
  return table;
})();

/**
 * Counts keyword hits per family in one pass: at each word start, the sticky pattern of its
 * first character is tried; a hit skips past the matched text. `text` must be lower-case.
 */
export function countKeywordFamilies(text: string, counts: Record<KeywordFamily, number>): void {
  let previousIsWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const word = isWordCode(code);
    if (word && !previousIsWord) {
      const bucket = buckets[code];
      if (bucket) {
        bucket.pattern.lastIndex = index;
        const match = bucket.pattern.exec(text);
        if (match) {
          for (let group = 1; group < match.length; group++) {
            if (match[group] !== undefined) {
              counts[bucket.families[group - 1]!] += 1;
              break;
            }
          }
          const end = index + match[0].length;
          if (end > index + 1) {
            index = end - 1;
            previousIsWord = isWordCode(text.charCodeAt(index));
            continue;
          }
        }
      }
    }
    previousIsWord = word;
  }
}
