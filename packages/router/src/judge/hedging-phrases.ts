/**
 * Phrases that signal an unsure answer. Matched case-insensitively as substrings.
 * @default the list below
 */
export const defaultHedgingPhrases: readonly string[] = Object.freeze([
  "i'm not sure",
  'i am not sure',
  "i'm not certain",
  'i am not certain',
  'not entirely sure',
  "i don't know",
  'i do not know',
  'it depends',
  'hard to say',
  'difficult to say',
  'i cannot be certain',
  'i may be wrong',
  'i might be wrong',
  'possibly',
  'perhaps',
  'i think',
  'i guess',
  'it is unclear',
  "it's unclear",
  'without more information',
  'without more context',
  'consult a professional',
  'i would need more',
]);

/**
 * Phrases that signal a refusal. Matched case-insensitively as substrings.
 * @default the list below
 */
export const defaultRefusalPhrases: readonly string[] = Object.freeze([
  "i can't help with",
  'i cannot help with',
  "i can't assist",
  'i cannot assist',
  "i'm unable to",
  'i am unable to',
  "i'm not able to",
  'i am not able to',
  'i cannot provide',
  "i can't provide",
  'as an ai',
  "i won't be able to",
]);
