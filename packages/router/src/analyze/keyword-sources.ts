// The keyword families and their stems, as regular-expression sources; keyword-families.ts compiles them.
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
  | 'depth'
  | 'build'
  | 'stakes'
  | 'decision'
  | 'factoid';

/**
 * The keyword families, in order of precedence: where keywords of two families start at the same
 * word, the earlier family's keyword is the one counted.
 */
export const keywordFamilies: readonly KeywordFamily[] = [
  'greeting',
  'lookup',
  'build',
  'factoid',
  'decision',
  'explain',
  'analyse',
  'compliance',
  'critical',
  'urgency',
  'educational',
  'brevity',
  'depth',
  'stakes',
];

// Stems, so that "analyse", "analyzed" and "analysis" all hit; each family is one capture group.
export const familySources: Record<KeywordFamily, string> = {
  greeting: String.raw`(?:hi|hello|hey|thanks|thank you|thx|good (?:morning|afternoon|evening)|bye|goodbye|cheers|got it|ok(?:ay)? great|nice to meet)\b`,
  lookup: `(?:status|track(?:ing)?|where is my|where do i|when (?:will|is|does) (?:my|it|the)|open today|open on|opening hours|visiting hours|business hours|what time|balance|due date|in stock|update on|capital of|stand for|spell|synonym|translate|how do you say|convert|exchange rate|how (?:many|much) (?:is|does|are|do)|what day|cancel my|reset link|update my|confirm|reschedule|password|capitali[sz]e|extension|fax number)`,
  explain: String.raw`(?:explica|explique|erklär|schreib|escrib|écri|rédige|cómo funciona|comment fonctionne|wie funktioniert|por qué|pourquoi|warum|différence entre|diferencia entre|unterschied zwischen|give me (?:\d+|three|five|ten|some) |some good ways|ideas for|itinerary|explain|how (?:do|does|can|should|would|is|are)\b|how to|what (?:is|are|does) (?:a|an|the)\b|what are (?:the |some )?(?:common|main|key|typical)|why (?:do|does|would|is|are)|when should|can i\b|should i\b|describe|summar(?:y|ies|i[sz])|walk me through|step[- ]by[- ]step|guide|tutorial|example|difference between|differ|versus|vs\.?\s|pros and cons|tips|best practice|draft|write (?:a|an|me|the)|rewrite|outline|ideas|in plain language|means?\b|meaning\b|what should)`,
  analyse: String.raw`(?:analysiere|analiza|analysez|compara|vergleiche|vor- und nachteile|ventajas y desventajas|avantages et inconvénients|using the (?:[a-z]+ )?tools|for each (?:flagged |of )?|go through (?:these|the|all)|collaps|not working|doesn'?t work|didn'?t work|keeps [a-z]+ing|times out|choos(?:e|ing) between|decid(?:e|ing) between|cost estimate|estimate (?:the|how|what|our)\b|analy[sz](?:e|es|ed|ing|is)\b|compar|evaluat|assess|design|architect|troubleshoot|debug|diagnos|root cause|investigat|optimi[sz]|refactor|trade-?offs?|bottleneck|scal(?:e|ing|ability)\b|migrat|strateg|forecast|scenario|reconcil|recommend|justify|code review|review (?:this|the|our)|differential|threat model|latency|memory leak|race condition|regression|crash|oomkill|fail(?:s|ing|ed)?\b|slow|dropped|grew|contradict|implication|enforceab|prove|derive|model (?:three|the|a)|plan (?:the|a)|prioriti[sz]ed|idempoten|exactly-once|concurren|edge cases|find the|why\?|pattern|significan|pitfall|hypothes|confounder|leverage|negotiat|recogni[sz]e revenue)`,
  compliance: String.raw`(?:complian|regulat|audit|legal|liabilit|contract|gdpr|hipaa|sox\b|pci|soc ?2|fcpa|ferpa|coppa|fca\b|sec\b|fda\b|cftc|ofac|aml\b|sar\b|privacy|consent|disclos|obligation|notif|lawsuit|litigation|subpoena|court|counsel|regulator|board\b|audit committee|insurance|ico\b)`,
  critical: String.raw`(?:another (?:customer|user|patient)'?s?\b|incident|outage|breach|compromis|ransom|malware|exfiltrat|leaked|data leak|exposed|exposure|publicly (?:readable|accessible)|attack|intrusion|unauthori[sz]ed|unauthenticated|zero[- ]day|cve-\d|exploit|hijack|skimm|sev-?[01]\b|is down\b|are down\b|went down\b|goes down\b|completely down\b|crashloop|data loss|deleted|corrupt|fraud|launder|sanction|structuring|material weakness|restate|mis-?sold|bribery|whistleblow|forged|tamper|backdat|overdose|pills\b|anaphyla|swelling|wheez|bleeding|confused|suicid|kill (?:my|him|her)self|assault|sexual|minors?\b|recall\b|hospitali[sz]ation|adverse|critical value|inr\b|potassium|bp \d|stolen|impersonat|ddos|takeover|taken over|credential stuffing|insider|scada|failover|losing (?:thousands|money|power|\$)|lost (?:thousands|money|power|\$)|bank run|withdrew|liquidity|penalt(?:y|ies) for late|secret key|access keys|live key|wrong (?:external|recipient|address)|erroneous|sdn list|investigation|other (?:customers|users|patients)'?|personal data|subpoena|lawsuit|class-action)`,
  urgency: String.raw`(?:accidentally|by mistake|par erreur|por error|versehentlich|just (?=[a-z]+ed\b)|urgent|urgently|immediate(?:ly)?|suddenly|ongoing|is being|are being|we (?:suspect|detected|discovered|found)|detected|flagged|asap|right now|this (?:minute|morning)|tonight|today\b|tomorrow\b|yesterday|last night|just (?:found|discovered|learned|realised|realized|received|noticed|got|identified|called|texted|reported)|an hour ago|\d+ (?:minutes|hours) ago|in the (?:next|last) (?:hour|\d+)|still (?:live|happening|ongoing)|currently|are failing|since \d|what (?:do|should|must) (?:i|we) do|what do i do|what now|now\b|already (?:impacted|affected)|help!|within \d+ (?:working )?days|is peaking|in the field)`,
  educational: String.raw`(?:draft|template|post-?mortem|last (?:week|month)'?s?\b|threat model|what is an?\b|what's the difference|difference between|for example|hypothetical|in general|typically|common ways|training|checklist)`,
  brevity: `(?:in one (?:sentence|word|line)|briefly|one-liner|yes or no|short answer|tl;?dr|just the)`,
  depth: `(?:in detail|detailed|in depth|in-depth|comprehensive|thorough|full report|essay|include tests|show the|with reasoning|walk through|justify)`,
  // Producing non-trivial code or maths: a build verb with a technical object, or a multi-step maths task.
  build: String.raw`(?:prove\b|implement|write (?:a |an |me a |me an |the )?(?:[\w-]+ ){0,3}?(?:function|script|parser|program|class|regex|validator|cli|endpoint|service|module|component|hook|migration|viewmodel|schema|algorithm)s?\b|build (?:a|an|me|the|our)\b|create (?:a|an) (?:[\w-]+ ){0,2}?(?:function|script|parser|api|service|schema|pipeline)|derive|solve (?:the|this|for)|in how many ways|show (?:your|the) working|with (?:unit )?tests|edge cases|construis|implementa|implementiere|escribe (?:una|un) (?:función|script)|schreibe? (?:eine|ein) (?:funktion|skript))`,
  // Short look-ups and conversational questions: who, when, where, which, how many.
  factoid: String.raw`(?:who (?:is|was|wrote|painted|invented)|when (?:did|was)|which (?:planet|country|city|is)|how many (?:days|hours|teaspoons|grams|people live)|what year|what time zone|what(?:'s| is) the (?:capital|plural|boiling|file extension|keyboard shortcut|average|default port)|what port|is there an?\b|is there any|where (?:can|do) i find|can i (?:get|change|have)|quick one|just to confirm|qui est|quelle est|wer ist|wie spät|cuál es|quién)`,
  // Domains where a wrong answer costs money, health, liberty or uptime.
  stakes: String.raw`(?:\d[\d,.]*k? (?:transactions|customers|users|patients|records|accounts|employees|devices|workstations|orders)\b|card numbers|cardholder|dose|dosage|dosing|\d+ ?mg\b|medication|prescri|chest pain|swallow|poison|allergic|pregnan|insulin|patients?\b|clinic\b|hospital|infant|liab|indemnif|tax authority|irs\b|vat return|capital gains|executor|terminate|wire \$|wire (?:the|it|money)|bank details|insider|earnings announcement|sanctions? list|production\b|customers can'?t|all customers|every customer|checkout is|error rate|unreachable|stopped resolving|rollback|roll back|attacker|exploited|root login|failed (?:ssh )?logins|lose data|losing data|médecin|médicament|medikament|medicamento|dosis|datos bancarios|ausgefallen|caíd[oa]|en panne|no autorizado|non autorisé|unbefugt)`,
  // A decision with consequences is asked for.
  decision: String.raw`(?:should (?:i|we)\b|can we (?:legally|onboard|terminate|fire)|is (?:it|this|the combination) (?:safe|legal|serious|allowed)|am i (?:personally )?liable|are we liable|our obligations|my obligations|must we|do we (?:have|need) to (?:notify|report|disclose|register)|before (?:i|we|it) (?:sign|send|file|wire|goes out)|deadline|due (?:today|tomorrow)|what next|safest|fastest way to recover|que dois-je faire|que faire|was sollen wir|qué (?:pasos|hacemos|debemos))`,
};
