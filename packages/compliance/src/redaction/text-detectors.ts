import { ibanValid, isWordCode } from './checks.js';
import type { Detector } from './detector.js';
import { findIpv4 } from './number-detectors.js';

const isLocalCode = (code: number) =>
  isWordCode(code) || code === 46 || code === 43 || code === 45 || code === 37;
const domainAfterAt =
  /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

/** E-mail addresses: a local part, `@`, and a domain with a top-level domain of letters. */
export function emailDetector(): Detector {
  return {
    name: 'email',
    find(text, found) {
      for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
        let start = at;
        while (start > 0 && isLocalCode(text.charCodeAt(start - 1)) && at - start < 64) start--;
        while (text.charCodeAt(start) === 46) start++;
        if (start === at) continue;
        domainAfterAt.lastIndex = at + 1;
        const domain = domainAfterAt.exec(text);
        if (!domain) continue;
        found(start, at + 1 + domain[0].length);
        at += domain[0].length;
      }
    },
  };
}

const isHexCode = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
const isAddressCode = (code: number) => isHexCode(code) || code === 58 || code === 46;

function countColons(text: string): number {
  let colons = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 58) colons++;
  return colons;
}

/** Whether text is an IPv6 address (full, `::`-compressed, or with a trailing IPv4). */
export function ipv6Valid(value: string): boolean {
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const parts = (half: string) => (half === '' ? [] : half.split(':'));
  const head = parts(halves[0]!);
  const tail = halves.length === 2 ? parts(halves[1]!) : [];
  const all = [...head, ...tail];
  let groups = all.length;
  const last = all[all.length - 1];
  if (last?.includes('.')) {
    if (!/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(last))
      return false;
    groups++;
    all.pop();
  }
  if (!all.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  if (halves.length === 2) return groups <= 7 && /\d/.test(value);
  return groups === 8;
}

/** IPv4 and IPv6 addresses. */
export function ipDetector(): Detector {
  return {
    name: 'ip',
    find(text, found) {
      findIpv4(text, found);
      // Around each colon, the run of hex digits, colons and dots is the candidate.
      for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
        let start = colon;
        let end = colon + 1;
        while (start > 0 && isAddressCode(text.charCodeAt(start - 1))) start--;
        while (isAddressCode(text.charCodeAt(end))) end++;
        // A trailing dot or colon ends the sentence or the label, not the address.
        while (end > colon + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 58)) end--;
        colon = Math.max(colon, end - 1);
        if (end - start < 3 || isWordCode(text.charCodeAt(start - 1)) || isWordCode(text.charCodeAt(end)))
          continue;
        const candidate = text.slice(start, end);
        // Fewer than three colons is an address only with `::` (times like 14:02:11 have two).
        if (countColons(candidate) < 3 && !candidate.includes('::')) continue;
        if (ipv6Valid(candidate)) found(start, end);
      }
    },
  };
}

/** IBAN length by country (ISO 13616 registry). */
const ibanLengths: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

const ibanStart = /[A-Za-z]{2}\d{2}/g;

/**
 * IBANs: a known country code, check digits and the country's length of letters and digits,
 * compact or in groups split by single spaces, passing the mod-97 check.
 */
export function ibanDetector(): Detector {
  return {
    name: 'iban',
    find(text, found) {
      ibanStart.lastIndex = 0;
      for (let match = ibanStart.exec(text); match !== null; match = ibanStart.exec(text)) {
        const start = match.index;
        if (isWordCode(text.charCodeAt(start - 1))) continue;
        const length = ibanLengths[match[0].slice(0, 2).toUpperCase()];
        if (!length) continue;
        let compact = '';
        let end = start;
        while (end < text.length && compact.length < length) {
          const code = text.charCodeAt(end);
          if (code === 32 && compact.length >= 4 && isWordCode(text.charCodeAt(end + 1))) {
            end++;
            continue;
          }
          if (!isWordCode(code) || code === 95) break;
          compact += text[end];
          end++;
        }
        if (compact.length !== length || isWordCode(text.charCodeAt(end))) continue;
        if (ibanValid(compact.toUpperCase())) {
          found(start, end);
          ibanStart.lastIndex = end;
        }
      }
    },
  };
}
