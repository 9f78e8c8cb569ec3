import { Forge1Error, parseWith } from '@forge1/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedbackSchema, readRouteFeedback } from './route-feedback.js';

const text = fc.oneof(fc.constant(''), fc.string({ maxLength: 6 }), fc.constant(7), fc.constant(undefined));
const outcome = fc.oneof(
  fc.record({ type: fc.constant('cascade'), from: text, to: text }),
  fc.record({
    type: fc.constantFrom('rating', 'judged', 'other'),
    score: fc.oneof(fc.double({ min: -1, max: 6 }), fc.constant(Number.NaN), fc.constant('3')),
  }),
  fc.constant(null),
);
const feedback = fc.record(
  {
    requestId: text,
    tenantId: text,
    model: fc.oneof(fc.record({ provider: text, model: text }), fc.constant('gpt-5')),
    reasons: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.array(fc.integer(), { maxLength: 2 })),
    outcome,
    extra: fc.string(),
  },
  { requiredKeys: [] },
);

const outcomeOf = (read: () => unknown) => {
  try {
    return { value: read() };
  } catch (error) {
    return { error: Forge1Error.is(error) ? error.code : String(error) };
  }
};

describe('route feedback input', () => {
  it('reads plain feedback by hand exactly as the schema does, and refuses what it refuses', () => {
    fc.assert(
      fc.property(feedback, (input) => {
        const expected = outcomeOf(() => parseWith(feedbackSchema, input, 'route feedback'));
        expect(outcomeOf(() => readRouteFeedback(input))).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('turns a throwing getter or a Proxy into a validation error', () => {
    const getter = Object.defineProperty({}, 'requestId', {
      enumerable: true,
      get() {
        throw new RangeError('own getter');
      },
    });
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new TypeError('own trap');
        },
      },
    );
    for (const input of [getter, proxy, null, 'x']) {
      expect(outcomeOf(() => readRouteFeedback(input))).toEqual({ error: 'validation_error' });
    }
  });
});
