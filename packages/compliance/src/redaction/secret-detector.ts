import { readOptions } from '@forge1/core';
import { isWordCode, shannonEntropy } from './checks.js';
import type { Detector } from './detector.js';

// Prefixes that providers put on their keys and tokens: OpenAI and Anthropic (sk-), Stripe,
// GitHub, GitLab, Slack, Hugging Face, npm, AWS access key ids, Google API keys, SendGrid.
const knownPrefix =
  /^(?:sk-(?:proj-|ant-|live-|svcacct-)?|(?:sk|rk|pk)_(?:live|test)_|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|hf_|npm_|AKIA|ASIA|AIza|SG\.)[A-Za-z0-9_.-]{16,}$/;
const digit = /\d/g;
const jwt = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/;
const privateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
// `password = hunter2`, `"api_key": "…"`, `DB_PASSWORD=…`: the value after a secret-sounding name.
const secretName = /(?:^|[_-])(?:api[_-]?key|secret|token|password|passwd|pwd|access[_-]?key)$/;

const isLower = (code: number) => code >= 97 && code <= 122;
const isLetterCode = (code: number) => isLower(code | 32);
const isTokenCode = (code: number) => isWordCode(code) || code === 45 || code === 46;
const isQuote = (code: number) => code === 34 || code === 39;
const isValueEnd = (code: number) =>
  Number.isNaN(code) || code <= 32 || isQuote(code) || code === 44 || code === 59;

/** The value assigned at the `:` or `=` at `at`, when the name before it sounds secret. */
function assignedValue(text: string, at: number): [number, number] | undefined {
  let nameEnd = at;
  while (nameEnd > 0 && text.charCodeAt(nameEnd - 1) === 32) nameEnd--;
  if (isQuote(text.charCodeAt(nameEnd - 1))) nameEnd--;
  // Every secret-sounding name ends in a letter (…key, …token, …pwd).
  if (!isLetterCode(text.charCodeAt(nameEnd - 1))) return;
  let nameStart = nameEnd;
  while (nameStart > 0 && nameEnd - nameStart < 40 && isTokenCode(text.charCodeAt(nameStart - 1)))
    nameStart--;
  if (nameEnd - nameStart < 3 || !secretName.test(text.slice(nameStart, nameEnd).toLowerCase())) return;
  let start = at + 1;
  while (text.charCodeAt(start) === 32) start++;
  if (isQuote(text.charCodeAt(start))) start++;
  let end = start;
  while (end - start <= 200 && !isValueEnd(text.charCodeAt(end))) end++;
  return end - start >= 8 && end - start <= 200 ? [start, end] : undefined;
}

/** Options of {@link secretDetector}. */
export interface SecretDetectorOptions {
  /** Shortest token the entropy test looks at. @default 24 */
  minLength?: number;
  /** Least Shannon entropy, in bits per character, for a token to count as a secret. @default 3.5 */
  minEntropy?: number;
}

/**
 * Whether a token looks random enough to be a key: upper- and lower-case letters and digits,
 * enough entropy, frequent changes between those classes, and capitals that do not start
 * words (as they do in camelCase names).
 */
export function looksRandom(token: string, minEntropy = 3.5): boolean {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let changes = 0;
  let capitalised = 0;
  let previous = -1;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const kind =
      code >= 48 && code <= 57 ? 0 : code >= 65 && code <= 90 ? 1 : code >= 97 && code <= 122 ? 2 : 3;
    if (kind === 0) digit++;
    else if (kind === 1) {
      upper++;
      if (isLower(token.charCodeAt(i + 1)) && isLower(token.charCodeAt(i + 2))) capitalised++;
    } else if (kind === 2) lower++;
    if (previous >= 0 && kind !== previous) changes++;
    previous = kind;
  }
  if (upper === 0 || lower === 0 || digit === 0) return false;
  if (changes / (token.length - 1) < 0.3) return false;
  // camelCase names: nearly every capital starts a word; in random text few do.
  if (capitalised / upper >= 0.5) return false;
  return shannonEntropy(token) >= minEntropy;
}

/**
 * API keys and secrets: known provider prefixes, JSON web tokens, PEM private keys, values
 * assigned to secret-sounding names, and long mixed tokens that pass an entropy test. Tokens
 * are looked for around digits (a key without a single digit is not found by prefix or
 * entropy). Pure hexadecimal digests (commit ids, checksums) are left alone.
 */
export function secretDetector(input: SecretDetectorOptions = {}): Detector {
  const options = readOptions(input, 'secretDetector');
  const minLength = options.minLength ?? 24;
  const minEntropy = options.minEntropy ?? 3.5;
  return {
    name: 'secret',
    find(text, found) {
      // Keys, tokens and random strings almost always hold a digit: look only around digits
      // (the regular expression engine skips prose without one at native speed).
      digit.lastIndex = 0;
      for (let match = digit.exec(text); match !== null; match = digit.exec(text)) {
        let start = match.index;
        let end = start + 1;
        while (start > 0 && isTokenCode(text.charCodeAt(start - 1))) start--;
        while (isTokenCode(text.charCodeAt(end))) end++;
        if (end - start >= 16) checkToken(text, start, end, minLength, minEntropy, found);
        digit.lastIndex = end;
      }
      for (const sign of ['=', ':']) {
        for (let at = text.indexOf(sign); at >= 0; at = text.indexOf(sign, at + 1)) {
          const value = assignedValue(text, at);
          if (value) found(value[0], value[1]);
        }
      }
      if (text.includes('-----BEGIN')) {
        privateKey.lastIndex = 0;
        for (let match = privateKey.exec(text); match !== null; match = privateKey.exec(text)) {
          found(match.index, match.index + match[0].length);
        }
      }
    },
  };
}

function checkToken(
  text: string,
  start: number,
  end: number,
  minLength: number,
  minEntropy: number,
  found: (start: number, end: number) => void,
): void {
  // Sentence punctuation around a token is not part of it.
  while (end > start && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
  while (start < end && text.charCodeAt(start) === 46) start++;
  const token = text.slice(start, end);
  if (knownPrefix.test(token) || jwt.test(token)) {
    found(start, end);
    return;
  }
  let pieceStart = 0;
  for (let i = 0; i <= token.length; i++) {
    if (i < token.length && token.charCodeAt(i) !== 46) continue;
    if (i - pieceStart >= minLength && looksRandom(token.slice(pieceStart, i), minEntropy)) {
      found(start + pieceStart, start + i);
    }
    pieceStart = i + 1;
  }
}
