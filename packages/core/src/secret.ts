import { ValidationError } from './errors.js';

const REDACTED = '[redacted]';
// util.inspect's hook, by its registered symbol so that the types need no Node typings.
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
const values = new WeakMap<Secret, string>();

/**
 * Holds an API key so that it cannot leak by accident: `String()`, `JSON.stringify`,
 * `util.inspect` and template literals all print `[redacted]`. Only {@link Secret.reveal}
 * returns the value; call it at the last moment, where the SDK client is built.
 */
export class Secret {
  constructor(value: string) {
    values.set(this, value);
  }
  /** The secret value itself. */
  reveal(): string {
    return values.get(this) ?? '';
  }
  /** Last four characters for humans (`…ab12`), or nothing for short secrets. */
  hint(): string {
    const value = this.reveal();
    return value.length >= 16 ? `…${value.slice(-4)}` : '';
  }
  /** Always `[redacted]`. */
  toString(): string {
    return REDACTED;
  }
  /** Always `[redacted]`, so JSON never carries the value. */
  toJSON(): string {
    return REDACTED;
  }
  /** What `util.inspect` and `console.log` print: `Secret([redacted])`. */
  [inspectCustom](): string {
    return `Secret(${REDACTED})`;
  }
}

/**
 * Wraps a string as a {@link Secret}; a Secret passes through unchanged.
 * @throws ValidationError for anything else.
 */
export function toSecret(value: string | Secret): Secret {
  if (typeof value === 'string') return new Secret(value);
  if (isSecret(value)) return value;
  throw new ValidationError('secret', [{ path: '', message: 'expected a string or a Secret' }]);
}

const isSecret = (value: unknown): value is Secret => {
  try {
    return value instanceof Secret;
  } catch {
    return false;
  }
};

/**
 * Replaces every occurrence of the given secrets in a text by `[redacted]`.
 * Used on provider error messages, which sometimes echo the key.
 */
export function redact(text: string, secrets: Iterable<string | Secret>): string {
  let out = text;
  for (const secret of secrets) {
    const value = typeof secret === 'string' ? secret : secret.reveal();
    if (value.length >= 4) out = out.split(value).join(REDACTED);
  }
  return out;
}
