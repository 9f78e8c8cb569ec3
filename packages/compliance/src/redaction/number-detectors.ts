import { cardPrefixKnown, isWordCode, luhnValid } from './checks.js';
import type { Detector, FoundValue } from './detector.js';

const DOT = 46;
const DASH = 45;
const PLUS = 43;

const isDigitCode = (code: number) => code >= 48 && code <= 57;

/** Whether a value at [start, end) stands alone: no letter, digit or `.digit` glued to it. */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  if (isWordCode(before) || before === DOT || before === PLUS) return false;
  const after = text.charCodeAt(end);
  if (isWordCode(after)) return false;
  return !((after === DOT || after === DASH) && isDigitCode(text.charCodeAt(end + 1)));
}

function digitsOf(text: string): string {
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isDigitCode(code)) digits += text[i];
  }
  return digits;
}

// At least 13 digits, so that short numbers fail inside the regular expression engine.
const cardRun = /\d(?:[ -]?\d){12,}/g;
const digitGroup = /\d+/g;

/**
 * Payment card numbers: 13 to 19 digits, contiguous or in groups split by single spaces or
 * dashes, with a card network's leading digits and a valid Luhn checksum. A run of groups
 * longer than a card is searched for a card-sized span of whole groups.
 */
export function paymentCardDetector(): Detector {
  return {
    name: 'paymentCard',
    find(text, found) {
      cardRun.lastIndex = 0;
      for (let run = cardRun.exec(text); run !== null; run = cardRun.exec(text)) {
        const start = run.index;
        const end = start + run[0].length;
        if (!standsAlone(text, start, end)) continue;
        findCardSpans(run[0], start, found);
      }
    },
  };
}

function findCardSpans(run: string, offset: number, found: FoundValue): void {
  const groups: Array<[number, number]> = [];
  digitGroup.lastIndex = 0;
  for (let group = digitGroup.exec(run); group !== null; group = digitGroup.exec(run)) {
    groups.push([group.index, group.index + group[0].length]);
  }
  for (let first = 0; first < groups.length; first++) {
    let matched = -1;
    for (let last = groups.length - 1; last >= first; last--) {
      const span = run.slice(groups[first]![0], groups[last]![1]);
      const digits = span.length - (last - first);
      if (digits < 13 || digits > 19) continue;
      const compact = last === first ? span : digitsOf(span);
      if (cardPrefixKnown(compact) && luhnValid(compact)) {
        found(offset + groups[first]![0], offset + groups[last]![1]);
        matched = last;
        break;
      }
    }
    if (matched >= 0) first = matched;
  }
}

const ssnPattern = /\d{3}([- ])\d{2}\1\d{4}/g;

/**
 * US Social Security numbers written `123-45-6789` or `123 45 6789`, excluding numbers never
 * issued (area 000, 666 or 900-999, group 00, serial 0000). Nine bare digits are not matched.
 */
export function ssnDetector(): Detector {
  return {
    name: 'ssn',
    find(text, found) {
      ssnPattern.lastIndex = 0;
      for (let match = ssnPattern.exec(text); match !== null; match = ssnPattern.exec(text)) {
        const start = match.index;
        const end = start + match[0].length;
        if (!standsAlone(text, start, end) || text.charCodeAt(start - 1) === DASH) continue;
        const value = match[0];
        const area = Number(value.slice(0, 3));
        if (area === 0 || area === 666 || area >= 900) continue;
        if (value.slice(4, 6) === '00' || value.slice(7) === '0000') continue;
        found(start, end);
      }
    },
  };
}

// Eight characters at least: shorter digit runs fail inside the regular expression engine.
const phoneRun = /(?:\+|\(\d)?[\d(][\d ().-]{6,}\d\)?/g;

/**
 * Telephone numbers: E.164 (`+` then 8 to 15 digits, separators allowed) and national
 * formats of 9 to 12 digits with at least one separator (`(555) 123-4567`, `020 7946 0958`,
 * `06 12 34 56 78`, `555.123.4567`). Dotted thousands (`1.234.567.890`) are not phones.
 */
export function phoneDetector(): Detector {
  return {
    name: 'phone',
    find(text, found) {
      phoneRun.lastIndex = 0;
      for (let match = phoneRun.exec(text); match !== null; match = phoneRun.exec(text)) {
        let start = match.index;
        let end = start + match[0].length;
        // A trailing separator or unmatched bracket is punctuation, not part of the number.
        while (end > start && !isDigitCode(text.charCodeAt(end - 1)) && text[end - 1] !== ')') end--;
        if (text[end - 1] === ')' && !text.slice(start, end).includes('(')) end--;
        if (text[start] === '(' && !text.slice(start, end).includes(')')) start++;
        if (end - start < 9 || !standsAlone(text, start, end)) continue;
        if (phonePlausible(text.slice(start, end))) found(start, end);
      }
    },
  };
}

function phonePlausible(value: string): boolean {
  let count = 0;
  for (let i = 0; i < value.length; i++) if (isDigitCode(value.charCodeAt(i))) count++;
  if (count < 8 || count > 15) return false;
  const groups = value.match(digitGroup) ?? [];
  let digits = 0;
  let singles = 0;
  for (const group of groups) {
    digits += group.length;
    if (group.length === 1) singles++;
  }
  if (value.startsWith('+')) return digits >= 8 && digits <= 15 && value[1] !== '0';
  if (digits < 9 || digits > 12 || groups.length < 2 || groups.length > 6 || singles > 1) return false;
  if ((value.match(/\(/g)?.length ?? 0) !== (value.match(/\)/g)?.length ?? 0)) return false;
  // 1.234.567 and 10.0.0.1-like runs: dotted groups of three after the first are numbers or addresses.
  if (/^\d{1,3}(?:\.\d{3})+$/.test(value) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return false;
  // A date, perhaps followed by an hour: 2026-01-15 10, 15.01.2026 09.
  if (/^(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})(?!\d)/.test(value)) return false;
  return groups.every((group, index) => group.length <= (index === groups.length - 1 ? 8 : 5));
}

const ipv4Pattern = /\d{1,3}(?:\.\d{1,3}){3}/g;

/** Whether a dotted quad is an IPv4 address (octets 0-255, no leading zeros). */
export function ipv4Valid(value: string): boolean {
  const octets = value.split('.');
  if (octets.length !== 4) return false;
  return octets.every(
    (octet) => octet.length > 0 && (octet === '0' || octet[0] !== '0') && Number(octet) <= 255,
  );
}

/** Finds IPv4 addresses in text (used by the `ip` detector). */
export function findIpv4(text: string, found: FoundValue): void {
  ipv4Pattern.lastIndex = 0;
  for (let match = ipv4Pattern.exec(text); match !== null; match = ipv4Pattern.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    // After a colon it is the tail of an IPv6 address, which the IPv6 search finds.
    if (!standsAlone(text, start, end) || text.charCodeAt(start - 1) === 58) continue;
    if (ipv4Valid(match[0])) found(start, end);
  }
}
