import { describe, expect, it } from 'vitest';
import { ibanValid, luhnValid, shannonEntropy } from './checks.js';
import { type Detector, patternDetector } from './detector.js';
import { paymentCardDetector, phoneDetector, ssnDetector } from './number-detectors.js';
import { builtInDetector, builtInDetectorNames, createScanner } from './scanner.js';
import { looksRandom, secretDetector } from './secret-detector.js';
import { emailDetector, ibanDetector, ipDetector, ipv6Valid } from './text-detectors.js';

const values = (detector: Detector, text: string) => {
  const out: string[] = [];
  detector.find(text, (start, end) => out.push(text.slice(start, end)));
  return out;
};

describe('checks', () => {
  it('computes Luhn, mod-97 and entropy', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('built-in detectors', () => {
  it('finds e-mail addresses and leaves a bare @ alone', () => {
    expect(values(emailDetector(), 'Write to jane.doe+tag@mail.example.co.uk, or @bob, or a@b.')).toEqual([
      'jane.doe+tag@mail.example.co.uk',
    ]);
  });

  it('finds E.164 and national phone numbers but not dates, versions or thousands', () => {
    const text =
      'Call +14155552671, +44 20 7946 0958, (555) 123-4567, 555.123.4567 or 06 12 34 56 78; ' +
      'not 2026-01-15 10:30, 1.234.567.890, v1.2.3, 12345 or 2024.';
    expect(values(phoneDetector(), text)).toEqual([
      '+14155552671',
      '+44 20 7946 0958',
      '(555) 123-4567',
      '555.123.4567',
      '06 12 34 56 78',
    ]);
  });

  it('finds card numbers that pass Luhn and leaves a 16-digit number that fails it alone', () => {
    const text =
      'Pay with 4111 1111 1111 1111 or 5500-0000-0000-0004 or 378282246310005; order 4111111111111112.';
    expect(values(paymentCardDetector(), text)).toEqual([
      '4111 1111 1111 1111',
      '5500-0000-0000-0004',
      '378282246310005',
    ]);
    const scanner = createScanner(builtInDetectorNames.map(builtInDetector));
    expect(scanner.scan('order number 4111111111111112 shipped')).toEqual([]);
  });

  it('finds a card followed by another number in the same run of groups', () => {
    expect(values(paymentCardDetector(), 'card 4111 1111 1111 1111 2025')).toEqual(['4111 1111 1111 1111']);
  });

  it('finds IBANs with a valid mod-97 check, compact or grouped', () => {
    const text = 'IBAN DE89 3704 0044 0532 0130 00, GB82WEST12345698765432, bad DE88370400440532013000.';
    expect(values(ibanDetector(), text)).toEqual(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432']);
  });

  it('finds dashed US SSNs and skips numbers never issued', () => {
    expect(
      values(ssnDetector(), 'SSN 123-45-6789, 000-12-3456, 666-12-3456, 123-00-4567, 123456789'),
    ).toEqual(['123-45-6789']);
  });

  it('finds IPv4 and IPv6 addresses but not times or octets above 255', () => {
    const text =
      'hosts 10.0.0.1, 256.1.1.1, 2001:db8::8a2e:370:7334, ::ffff:192.0.2.1 and fe80::1 at 10:30:00.';
    expect(values(ipDetector(), text)).toEqual([
      '10.0.0.1',
      '2001:db8::8a2e:370:7334',
      '::ffff:192.0.2.1',
      'fe80::1',
    ]);
    expect(ipv6Valid('1:2:3:4:5:6:7:8')).toBe(true);
    expect(ipv6Valid('1::2::3')).toBe(false);
  });

  it('finds keys by prefix, web tokens, assigned secrets and random tokens, not names or digests', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const text =
      `key sk-proj-Ab3dEf6hIj9kLm2nOp5q, token ${jwt}. DB_PASSWORD=s3cr3t-value and "api_key": "k9Xq2Lw8Zr4T" ` +
      'random Zx81QmV7tR2pL9wK4sY6bN3c. Not getUserAccountSettingsById2 nor 3f786850e387550fdab836ed7e6dc881de23001b.';
    expect(values(secretDetector(), text)).toEqual([
      'sk-proj-Ab3dEf6hIj9kLm2nOp5q',
      jwt,
      'Zx81QmV7tR2pL9wK4sY6bN3c',
      's3cr3t-value',
      'k9Xq2Lw8Zr4T',
    ]);
    expect(looksRandom('MyVeryLongClassNameFactory2')).toBe(false);
  });

  it('finds PEM private keys whole', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    expect(values(secretDetector(), `here: ${pem} done`)).toEqual([pem]);
  });
});

describe('patternDetector', () => {
  it('finds a host pattern as whole words, with an optional validation', () => {
    const employee = patternDetector('employeeId', /EMP-\d{6}/, {
      validate: (match) => !match.endsWith('000000'),
    });
    expect(values(employee, 'EMP-123456, XEMP-654321, EMP-000000')).toEqual(['EMP-123456']);
  });

  it('refuses a bad name, a non-RegExp or a pattern that matches nothing', () => {
    expect(() => patternDetector('1x', /a/)).toThrow(/detector name/);
    expect(() => patternDetector('x', 'a' as never)).toThrow(/RegExp/);
    expect(() => patternDetector('x', /a*/)).toThrow(/empty string/);
  });
});

describe('createScanner', () => {
  it('keeps one finding per range: the IBAN over the card digits inside it, in text order', () => {
    const scanner = createScanner(builtInDetectorNames.map(builtInDetector));
    const text = 'to GB82 WEST 1234 5698 7654 32 from ann@example.com';
    expect(
      scanner.scan(text).map((finding) => [finding.kind, text.slice(finding.start, finding.end)]),
    ).toEqual([
      ['iban', 'GB82 WEST 1234 5698 7654 32'],
      ['email', 'ann@example.com'],
    ]);
  });
});
