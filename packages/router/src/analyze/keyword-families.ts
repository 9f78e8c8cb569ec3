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
  lookup: `(?:status|track(?:ing)?|where is my|where do i|when (?:will|is|does) (?:my|it|the)|(?:open|opening|visiting|business) (?:today|hours|on)|what time|balance|due date|in stock|update on|capital of|stand for|spell|synonym|translate|how do you say|convert|exchange rate|how (?:many|much) (?:is|does|are|do)|what day|cancel my|reset link|update my|confirm|reschedule|password|capitali[sz]e|extension|fax number)`,
  explain: String.raw`(?:explain|how (?:do|does|can|should|would|is|are)\b|how to|what (?:is|are|does) (?:a|an|the)\b|what are (?:the |some )?(?:common|main|key|typical)|why (?:do|does|would|is|are)|when should|can i\b|should i\b|describe|summar(?:y|ies|i[sz])|walk me through|step[- ]by[- ]step|guide|tutorial|example|difference between|differ|versus|vs\.?\s|pros and cons|tips|best practice|draft|write (?:a|an|me|the)|rewrite|outline|ideas|in plain language|(?:means?|meaning)\b|what should)`,
  analyse: String.raw`(?:analy[sz](?:e|es|ed|ing|is)\b|compar|evaluat|assess|design|architect|troubleshoot|debug|diagnos|root cause|investigat|optimi[sz]|refactor|trade-?offs?|bottleneck|scal(?:e|ing|ability)\b|migrat|strateg|forecast|scenario|reconcil|recommend|justify|code review|review (?:this|the|our)|differential|threat model|latency|memory leak|race condition|regression|crash|oomkill|fail(?:s|ing|ed)?\b|slow|dropped|grew|contradict|implication|enforceab|prove|derive|model (?:three|the|a)|plan (?:the|a)|prioriti[sz]ed|idempoten|exactly-once|concurren|edge cases|find the|why\?|pattern|significan|pitfall|hypothes|confounder|leverage|negotiat|recogni[sz]e revenue)`,
  compliance: String.raw`(?:complian|regulat|audit|legal|liabilit|contract|gdpr|hipaa|sox\b|pci|soc ?2|fcpa|ferpa|coppa|fca\b|sec\b|fda\b|cftc|ofac|aml\b|sar\b|privacy|consent|disclos|obligation|notif|lawsuit|litigation|subpoena|court|counsel|regulator|board\b|audit committee|insurance|ico\b)`,
  critical: String.raw`(?:incident|outage|breach|compromis|ransom|malware|exfiltrat|leaked|data leak|exposed|exposure|publicly (?:readable|accessible)|attack|intrusion|unauthori[sz]ed|unauthenticated|zero[- ]day|cve-\d|exploit|hijack|skimm|sev-?[01]\b|(?:is|are|went|goes|completely) down\b|crashloop|data loss|deleted|corrupt|fraud|launder|sanction|structuring|material weakness|restate|mis-?sold|bribery|whistleblow|forged|tamper|backdat|overdose|pills\b|anaphyla|swelling|wheez|bleeding|confused|suicid|kill (?:my|him|her)self|assault|sexual|minors?\b|recall\b|hospitali[sz]ation|adverse|critical value|inr\b|potassium|bp \d|stolen|impersonat|ddos|takeover|taken over|credential stuffing|insider|scada|failover|(?:losing|lost) (?:thousands|money|power|\$)|bank run|withdrew|liquidity|penalt(?:y|ies) for late|secret key|access keys|live key|wrong (?:external|recipient|address)|erroneous|sdn list|investigation|other (?:customers|users|patients)'?|personal data|subpoena|lawsuit|class-action)`,
  urgency: String.raw`(?:urgent|urgently|immediate(?:ly)?|suddenly|ongoing|is being|are being|we (?:suspect|detected|discovered|found)|detected|flagged|asap|right now|this (?:minute|morning)|tonight|today\b|tomorrow\b|yesterday|last night|just (?:found|discovered|learned|realised|realized|received|noticed|got|identified|called|texted|reported)|an hour ago|\d+ (?:minutes|hours) ago|in the (?:next|last) (?:hour|\d+)|still (?:live|happening|ongoing)|currently|are failing|since \d|what (?:do|should|must) (?:i|we) do|what do i do|what now|\bnow\b|already (?:impacted|affected)|help!|within \d+ (?:working )?days|is peaking|in the field)`,
  educational: String.raw`(?:draft|template|post-?mortem|last (?:week|month)'?s?\b|threat model|what is an?\b|what's the difference|difference between|for example|hypothetical|in general|typically|common ways|training|checklist)`,
  brevity: `(?:in one (?:sentence|word|line)|briefly|one-liner|yes or no|short answer|tl;?dr|just the)`,
  depth: `(?:in detail|detailed|in depth|in-depth|comprehensive|thorough|full report|essay|include tests|show the|with reasoning|walk through|justify)`,
};

/** One regular expression over every family, compiled once: each family is one capture group. */
export const keywordPattern = new RegExp(
  keywordFamilies.map((family) => String.raw`\b(${sources[family]})`).join('|'),
  'gi',
);
