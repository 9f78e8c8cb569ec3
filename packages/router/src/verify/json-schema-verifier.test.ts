import { describe, expect, it } from 'vitest';
import { createJsonSchemaVerifier } from './json-schema-verifier.js';
import { verifierInput } from './test-input.js';
import type { VerifierFinding } from './verifier.js';

const schema = {
  type: 'object',
  required: ['name', 'steps'],
  properties: { name: { type: 'string' }, steps: { type: 'array', items: { type: 'integer' } } },
  additionalProperties: false,
};
const verifier = createJsonSchemaVerifier();
const check = (text: string, withSchema: Record<string, unknown> | null = schema) =>
  verifier.verify(
    verifierInput(text, 'Give me the plan', {
      request: { responseFormat: { type: 'json', ...(withSchema ? { schema: withSchema } : {}) } },
    }),
  ) as VerifierFinding | undefined;

describe('json-schema verifier', () => {
  it('accepts JSON that matches the schema, bare or fenced', () => {
    expect(check('{"name": "deploy", "steps": [1, 2]}')).toBeUndefined();
    expect(check('```json\n{"name": "deploy", "steps": []}\n```')).toBeUndefined();
  });

  it('names a missing required property', () => {
    expect(check('{"name": "deploy"}')?.reason).toBe('JSON misses required steps');
  });

  it('names the path of a wrongly typed value and of an extra property', () => {
    expect(check('{"name": "deploy", "steps": [1, "two"]}')?.reason).toBe('JSON /steps/1 must be integer');
    expect(check('{"name": "x", "steps": [], "extra": true}')?.reason).toContain(
      'must NOT have additional properties',
    );
  });

  it('penalises text that is not JSON more than JSON that misses the schema', () => {
    const invalid = check('Sure! Here is the plan: deploy, then verify.');
    expect(invalid?.reason).toBe('invalid JSON where JSON was asked for');
    expect(invalid!.penalty).toBeGreaterThan(check('{"name": "deploy"}')!.penalty);
  });

  it('checks only that JSON parses when no schema is given, and nothing when JSON was not asked for', () => {
    expect(check('{"anything": 1}', null)).toBeUndefined();
    expect(verifier.verify(verifierInput('not json'))).toBeUndefined();
  });

  it('notes a schema ajv cannot compile without penalising the answer', () => {
    const finding = check('{"a": 1}', { type: 'object', properties: { a: { type: 'no-such-type' } } });
    expect(finding?.penalty).toBe(0);
    expect(finding?.reason).toMatch(/^schema not compiled/);
  });
});
