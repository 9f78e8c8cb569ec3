import fc from 'fast-check';
import { luhnValid } from '../src/redaction/checks.js';
import { looksRandom } from '../src/redaction/secret-detector.js';

// Generators of valid values of every built-in kind, for property tests here and in e2e/.

const digits = (min: number, max = min) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((list) => list.join(''));
const letters = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), { minLength: min, maxLength: max })
    .map((list) => list.join(''));

const email = fc
  .tuple(
    letters(1, 8),
    fc.option(digits(1, 4), { nil: undefined }),
    letters(2, 8),
    fc.constantFrom('com', 'org', 'co.uk', 'io'),
  )
  .map(([local, tag, domain, tld]) => `${local}${tag ? `.${tag}` : ''}@${domain}.${tld}`);

const phone = fc.oneof(
  digits(10).map((rest) => `+1${rest.replace(/^0/, '5')}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+44 20 ${a} ${b}`),
  fc.tuple(fc.integer({ min: 200, max: 999 }), digits(3), digits(4)).map(([a, b, c]) => `(${a}) ${b}-${c}`),
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), digits(2), digits(2), digits(2), digits(2))
    .map(([a, ...rest]) => `0${a} ${rest.join(' ')}`),
);

const withLuhnDigit = (body: string) => {
  for (let check = 0; check <= 9; check++) if (luhnValid(body + check)) return body + check;
  return body;
};
const paymentCard = fc.tuple(digits(14), fc.boolean()).map(([body, grouped]) => {
  const number = withLuhnDigit(`4${body}`);
  return grouped ? number.replace(/(\d{4})(?=\d)/g, '$1 ') : number;
});

const mod97 = (text: string) => {
  let remainder = 0;
  for (const char of text) {
    const value = char >= 'A' && char <= 'Z' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
};
const iban = fc.tuple(digits(18), fc.boolean()).map(([bban, grouped]) => {
  const check = String(98 - mod97(`${bban}DE00`)).padStart(2, '0');
  const compact = `DE${check}${bban}`;
  return grouped ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact;
});

const ssn = fc
  .tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .filter(([area]) => area !== 666)
  .map(
    ([area, group, serial]) =>
      `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`,
  );

const hexGroup = fc.integer({ min: 1, max: 0xffff }).map((value) => value.toString(16));
const ip = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 255 }), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.join('.')),
  fc.array(hexGroup, { minLength: 8, maxLength: 8 }).map((groups) => groups.join(':')),
);

const base62 = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
const randomToken = (length: number) =>
  fc.array(base62, { minLength: length, maxLength: length }).map((list) => list.join(''));
// Keys are found around their digits: give every prefixed key one.
const withDigit = (token: string) => `${token.slice(0, 5)}7${token.slice(6)}`;
const secret = fc.oneof(
  randomToken(32).map((token) => `sk-proj-${withDigit(token)}`),
  randomToken(36).map((token) => `ghp_${withDigit(token)}`),
  randomToken(32).filter((token) => looksRandom(token)),
);

/** A generator of valid values by built-in detector name. */
export const plantedValues = { email, phone, paymentCard, iban, ssn, ip, secret } as const;

/** A kind of planted value. */
export type PlantedKind = keyof typeof plantedValues;

/** A planted value and its kind. */
export interface Planted {
  kind: PlantedKind;
  value: string;
}

const planted: fc.Arbitrary<Planted> = fc.oneof(
  ...(Object.keys(plantedValues) as PlantedKind[]).map((kind) =>
    plantedValues[kind].map((value) => ({ kind, value })),
  ),
);

const filler = fc
  .array(letters(2, 9), { minLength: 1, maxLength: 6 })
  .chain((words) => fc.constantFrom(' ', ', ', '. ', '\n').map((end) => `${words.join(' ')}${end}`));

/**
 * Random text of words with values planted between them: each value is preceded by words
 * and followed by a space, a comma, a full stop or a new line.
 */
export const textWithPlantedValues: fc.Arbitrary<{ text: string; planted: Planted[] }> = fc
  .array(fc.tuple(filler, planted, fc.constantFrom(' ', ', ', '. ', '\n')), { minLength: 1, maxLength: 8 })
  .chain((segments) =>
    filler.map((tail) => ({
      text: segments.map(([before, value, after]) => `${before}${value.value}${after}`).join('') + tail,
      planted: segments.map(([, value]) => value),
    })),
  );
