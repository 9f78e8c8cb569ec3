import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../validation.js';
import { chatInputSchema, parseGatewayInput } from './input.js';
import { parsePlainChatInput } from './plain-input.js';

const signal = new AbortController().signal;
// Values near every edge the schema draws: empty and long ids, roles it knows and does not,
// integers and fractions around the token limit, temperatures around 0 and 2, stray fields.
// Mostly plain values, sometimes one past an edge, so that both sides of every check are met.
const mostly = <T, U>(plain: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: plain }, { weight: 1, arbitrary: edge });
const id = mostly(
  fc.string({ minLength: 1, maxLength: 3 }),
  fc.constantFrom('', 'x'.repeat(200), 'x'.repeat(201), 7),
);
const message = mostly(
  fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: fc.string() }),
  fc.oneof(
    fc.record({
      role: fc.constantFrom('tool', 'robot', 'user'),
      content: fc.oneof(fc.constant(7), fc.constant([{ type: 'text', text: 'hi' }]), fc.string()),
    }),
    fc.record({ role: fc.constant('user'), content: fc.string(), name: fc.string() }),
    fc.record({ role: fc.constant('assistant'), content: fc.string(), toolCalls: fc.constant([]) }),
    fc.constant(null),
  ),
);
const input = fc.record(
  {
    tenant: id,
    client: id,
    user: id,
    requestId: id,
    messages: mostly(fc.array(message, { minLength: 1, maxLength: 3 }), fc.constantFrom([], 'hello')),
    model: mostly(fc.string({ minLength: 1, maxLength: 3 }), fc.constantFrom('', 5)),
    maxTokens: mostly(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom(0, -1, 1_000_001, 1.5, Number.NaN, 2 ** 60, '5'),
    ),
    temperature: mostly(
      fc.double({ min: 0, max: 2, noNaN: true }),
      fc.constantFrom(-0.001, 2.001, Number.NaN, Number.POSITIVE_INFINITY, '1'),
    ),
    signal: mostly(fc.constant(signal), fc.constantFrom('signal', {})),
  },
  { requiredKeys: [] },
);
const stray = fc.option(
  fc.constantFrom({ stream: true }, { tools: [] }, { metadata: { team: 'a' } }, { model: undefined }),
  { nil: {}, freq: 8 },
);
const candidates = fc.tuple(input, stray).map(([fields, extra]) => ({ ...fields, ...extra }));

const keysDeep = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(keysDeep)
    : typeof value === 'object' && value !== null && !(value instanceof AbortSignal)
      ? Object.entries(value).map(([key, entry]) => [key, keysDeep(entry)])
      : value;

describe('parsePlainChatInput', () => {
  it('accepts only what the schema accepts, and returns what it returns, field for field and in order', () => {
    let taken = 0;
    fc.assert(
      fc.property(candidates, (candidate) => {
        const fast = parsePlainChatInput(candidate);
        if (fast === undefined) return;
        taken++;
        const schema = parseWith(chatInputSchema, candidate, 'chat request');
        expect(keysDeep(fast)).toStrictEqual(keysDeep(schema));
        expect(fast.signal).toBe(schema.signal);
      }),
      { numRuns: 3000 },
    );
    // Enough of the runs took the fast path for the comparison to mean something.
    expect(taken).toBeGreaterThan(30);
  });

  it('takes the plain text chat that most requests are', () => {
    const plain = {
      tenant: 'acme',
      requestId: 'req-1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is my order?' },
      ],
      maxTokens: 200,
      signal,
    };
    expect(parsePlainChatInput(plain)).toStrictEqual(plain);
  });

  it('leaves parts, tools, formats and unknown fields to the schema, whose errors callers see', () => {
    const parts = { tenant: 'acme', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
    expect(parsePlainChatInput(parts)).toBeUndefined();
    expect(parseGatewayInput(parts).messages[0]?.content).toStrictEqual([{ type: 'text', text: 'hi' }]);
    expect(
      parsePlainChatInput({ ...parts, messages: [{ role: 'user', content: 'hi' }], tools: [] }),
    ).toBeUndefined();
    expect(() => parseGatewayInput({ tenant: 'acme', messages: [], colour: 'red' })).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });
});
