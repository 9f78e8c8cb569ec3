import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueFromSchema } from './json-from-schema.js';
import { createRandom } from './random.js';

describe('valueFromSchema', () => {
  it('fills every property of an object with a value of its type', () => {
    const value = valueFromSchema(
      {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 30 },
          age: { type: 'integer', minimum: 18, maximum: 20 },
          score: { type: 'number' },
          active: { type: 'boolean' },
          tags: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 3 },
          role: { enum: ['admin', 'user'] },
          kind: { const: 'fixed' },
          nickname: { type: ['string', 'null'] },
          when: { type: 'string', format: 'date-time' },
        },
      },
      createRandom(3),
    ) as Record<string, unknown>;
    expect((value.name as string).length).toBeGreaterThanOrEqual(30);
    expect(value.age).toBeGreaterThanOrEqual(18);
    expect(value.age).toBeLessThanOrEqual(20);
    expect(Number.isInteger(value.age)).toBe(true);
    expect(typeof value.score).toBe('number');
    expect(typeof value.active).toBe('boolean');
    expect(value.tags).toHaveLength(3);
    expect(['admin', 'user']).toContain(value.role);
    expect(value.kind).toBe('fixed');
    expect(typeof value.nickname).toBe('string');
    expect(Number.isNaN(Date.parse(value.when as string))).toBe(false);
  });

  it('resolves local $refs, anyOf and allOf, and reads Google upper-case types', () => {
    const value = valueFromSchema(
      {
        $defs: { point: { type: 'object', properties: { x: { type: 'number' } } } },
        type: 'object',
        properties: {
          at: { $ref: '#/$defs/point' },
          either: { anyOf: [{ type: 'null' }, { type: 'integer' }] },
          both: {
            allOf: [{ properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }],
          },
          google: { type: 'OBJECT', properties: { n: { type: 'INTEGER' } } },
        },
      },
      createRandom(1),
    ) as Record<string, Record<string, unknown>>;
    expect(typeof value.at?.x).toBe('number');
    expect(Number.isInteger(value.either)).toBe(true);
    expect(Object.keys(value.both ?? {}).sort()).toEqual(['a', 'b']);
    expect(Number.isInteger(value.google?.n)).toBe(true);
  });

  it('keeps integers inside [minimum, maximum] for any bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer(),
        (min, span, seed) => {
          const value = valueFromSchema(
            { type: 'integer', minimum: min, maximum: min + span },
            createRandom(seed),
          ) as number;
          expect(Number.isInteger(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(min + span);
        },
      ),
    );
  });

  it('stops at a self-referencing schema instead of recursing forever', () => {
    const schema = { type: 'object', properties: { child: { $ref: '#' } } };
    expect(() => JSON.stringify(valueFromSchema(schema, createRandom(1)))).not.toThrow();
  });
});
