import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redact, Secret, toSecret } from './index.js';

const value = 'sk-live-1234567890abcdefXYZW';

describe('Secret', () => {
  it('never prints its value through String, JSON, inspect or templates', () => {
    const secret = new Secret(value);
    const outputs = [
      String(secret),
      JSON.stringify({ secret }),
      inspect(secret),
      `${secret}`,
      inspect({ nested: { secret } }),
    ];
    for (const output of outputs) expect(output).not.toContain(value);
    expect(secret.reveal()).toBe(value);
  });

  it('gives a short hint of long secrets only', () => {
    expect(new Secret(value).hint()).toBe('…XYZW');
    expect(new Secret('short').hint()).toBe('');
  });

  it('passes an existing Secret through toSecret', () => {
    const secret = new Secret(value);
    expect(toSecret(secret)).toBe(secret);
    expect(toSecret(value).reveal()).toBe(value);
  });
});

describe('redact', () => {
  it('removes every occurrence of the secrets from a text', () => {
    expect(redact(`Incorrect API key provided: ${value}. Key ${value}`, [new Secret(value)])).toBe(
      'Incorrect API key provided: [redacted]. Key [redacted]',
    );
  });
});
