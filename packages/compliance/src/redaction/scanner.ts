import { expectFunction, expectObject, expectString, readUntrusted, ValidationError } from '@forge1/core';
import type { Detector } from './detector.js';
import { paymentCardDetector, phoneDetector, ssnDetector } from './number-detectors.js';
import { secretDetector } from './secret-detector.js';
import { emailDetector, ibanDetector, ipDetector } from './text-detectors.js';

/** Names of the built-in detectors, in priority order (an SSN is not read as a phone number). */
export const builtInDetectorNames = ['secret', 'email', 'iban', 'paymentCard', 'ssn', 'ip', 'phone'] as const;

/** A built-in detector's name. */
export type BuiltInDetectorName = (typeof builtInDetectorNames)[number];

/** A fresh instance of a built-in detector. */
export function builtInDetector(name: BuiltInDetectorName): Detector {
  switch (name) {
    case 'email':
      return emailDetector();
    case 'phone':
      return phoneDetector();
    case 'paymentCard':
      return paymentCardDetector();
    case 'iban':
      return ibanDetector();
    case 'ssn':
      return ssnDetector();
    case 'ip':
      return ipDetector();
    case 'secret':
      return secretDetector();
  }
}

/** One value found in a text: which detector, and where (`[start, end)`). */
export interface Finding {
  kind: string;
  start: number;
  end: number;
}

/** Finds values of several kinds in a text, one finding per character range. */
export interface Scanner {
  /** Findings in text order, never overlapping. */
  scan(text: string): Finding[];
}

/** The detectors of a scanner, read once: an array of objects with a name and a `find` method. */
function readDetectors(input: unknown): readonly Detector[] {
  const detectors = readUntrusted(input, 'createScanner detectors');
  if (!Array.isArray(detectors)) {
    throw new ValidationError('createScanner arguments', [
      { path: 'detectors', message: 'expected an array' },
    ]);
  }
  detectors.forEach((detector: unknown, index) => {
    expectObject(detector, 'createScanner', `detectors.${index}`);
    expectString(detector.name, 'createScanner', `detectors.${index}.name`);
    expectFunction(detector.find, 'createScanner', `detectors.${index}.find`);
  });
  return detectors as readonly Detector[];
}

/**
 * A scanner over detectors given in priority order. Where findings overlap, the one that
 * starts first wins, then the longer, then the detector listed first: a card number inside
 * an IBAN is the IBAN, an e-mail address's digits are not a phone.
 */
export function createScanner(input: readonly Detector[]): Scanner {
  const detectors = readDetectors(input);
  return {
    scan(text) {
      expectString(text, 'scanner.scan', 'text');
      const found: Finding[] = [];
      const ranks: number[] = [];
      detectors.forEach((detector, rank) => {
        detector.find(text, (start, end) => {
          if (end > start && start >= 0 && end <= text.length) {
            found.push({ kind: detector.name, start, end });
            ranks.push(rank);
          }
        });
      });
      if (found.length <= 1) return found;
      const order = found.map((_, index) => index);
      order.sort((a, b) => {
        const x = found[a]!;
        const y = found[b]!;
        return x.start - y.start || y.end - x.end || ranks[a]! - ranks[b]!;
      });
      const kept: Finding[] = [];
      let reached = 0;
      for (const index of order) {
        const finding = found[index]!;
        if (finding.start < reached) continue;
        kept.push(finding);
        reached = finding.end;
      }
      return kept;
    },
  };
}
