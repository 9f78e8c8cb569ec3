import { Forge1Error, ValidationError } from '@forge1/core';
import { createKeyPool } from '@forge1/keypool';
import { describe, expect, it } from 'vitest';
import { key } from '../../test/fixtures.js';

const issuesOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected a ValidationError');
};

describe('key pool options', () => {
  it('names duplicate ids, non-positive limits and unknown providers', () => {
    const issues = issuesOf(() =>
      createKeyPool({
        keys: [key('a'), key('a'), key('b', { rpm: 0, tpm: -5 }), key('c', { provider: 'nowhere' })],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        '1.id: duplicate key id "a"',
        '2.rpm: expected a positive limit',
        '2.tpm: expected a positive limit',
        expect.stringMatching(/^3\.provider: unknown provider "nowhere"/),
      ]),
    );
  });

  it('accepts providers declared in the options', () => {
    expect(() =>
      createKeyPool({ keys: [key('a', { provider: 'mistral' })], providers: ['mistral'], signals: false }),
    ).not.toThrow();
  });

  it('names undeclared groups and bad tier shares', () => {
    const issues = issuesOf(() =>
      createKeyPool({ keys: [key('a', { group: 'org' })], tiers: { standard: { reservedShare: 2 } } }),
    );
    expect(issues.some((issue) => issue.startsWith('tiers.standard.reservedShare'))).toBe(true);
    expect(issuesOf(() => createKeyPool({ keys: [key('a', { group: 'org' })] }))).toEqual([
      '0.group: group "org" is not declared in `groups`',
    ]);
  });

  it('never echoes a secret in a validation error', () => {
    const secret = 'sk-live-very-secret-0123456789';
    const error = (() => {
      try {
        createKeyPool({ keys: [key('a', { secret, rpm: -1 }), key('a', { secret })] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(Forge1Error.is(error, 'validation_error')).toBe(true);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String((error as Error).message)).not.toContain(secret);
  });

  it('refuses a missing or empty secret', () => {
    expect(issuesOf(() => createKeyPool({ keys: [key('a', { secret: '' })] }))[0]).toMatch(/^0\.secret:/);
  });
});
