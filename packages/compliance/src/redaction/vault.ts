import { asInputError, expectFunction, expectObject, expectString, readOptions } from '@forge1/core';
/** The placeholder label of a detector name: `paymentCard` → `PAYMENT_CARD`. */
export function kindLabel(kind: string): string {
  return kind
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** What a masked value becomes: `[REDACTED_EMAIL]` (no number, so never restored). */
export function maskFor(kind: string): string {
  return `[REDACTED_${kindLabel(kind)}]`;
}

const placeholderPattern = /\[([A-Z][A-Z0-9_]*_\d+)\]/g;

/**
 * One request's reversible placeholders: `[EMAIL_1]` stands for the first e-mail address,
 * the same value always gets the same placeholder, and a placeholder that already occurs in
 * the request's own text is skipped so that restoring cannot invent a value.
 */
export interface Vault {
  /** The placeholder of a value of one kind, created on first use. */
  placeholder(kind: string, value: string): string;
  /** Replaces every known placeholder in text by its value; unknown ones stay as written. */
  restore(text: string): string;
  /** Like `restore`, inside JSON text: values are escaped as JSON string content. */
  restoreJson(text: string): string;
  /** Number of placeholders created. */
  readonly size: number;
  /** Length of the longest placeholder, for holding back streamed text. */
  readonly longest: number;
}

/**
 * Creates an empty vault. `taken` tells whether a placeholder string already occurs in the
 * request (the redactor passes a search over the original texts).
 */
export function createVault(taken: (placeholder: string) => boolean = () => false): Vault {
  expectFunction(taken, 'createVault', 'taken');
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<string, number>();
  const labels = new Map<string, string>();
  let longest = 0;

  const replace = (text: string, encode: (value: string) => string) => {
    if (byPlaceholder.size === 0 || text.indexOf('[') < 0) return text;
    return text.replace(placeholderPattern, (whole) => {
      const value = byPlaceholder.get(whole);
      return value === undefined ? whole : encode(value);
    });
  };

  return {
    placeholder(kind, value) {
      expectString(kind, 'vault.placeholder', 'kind');
      expectString(value, 'vault.placeholder', 'value');
      const key = `${kind}\u0000${value}`;
      const known = byValue.get(key);
      if (known) return known;
      let label = labels.get(kind);
      if (label === undefined) {
        label = kindLabel(kind);
        labels.set(kind, label);
      }
      let counter = counters.get(label) ?? 0;
      let placeholder: string;
      do {
        counter++;
        placeholder = `[${label}_${counter}]`;
      } while (taken(placeholder));
      counters.set(label, counter);
      byValue.set(key, placeholder);
      byPlaceholder.set(placeholder, value);
      longest = Math.max(longest, placeholder.length);
      return placeholder;
    },
    restore: (text) => {
      expectString(text, 'vault.restore', 'text');
      return replace(text, (value) => value);
    },
    restoreJson: (text) => {
      expectString(text, 'vault.restoreJson', 'text');
      return replace(text, (value) => JSON.stringify(value).slice(1, -1));
    },
    get size() {
      return byPlaceholder.size;
    },
    get longest() {
      return longest;
    },
  };
}

/**
 * Restores placeholders in text that arrives in pieces. A tail that could be the start of a
 * placeholder (`[EMA`) is held back until the next piece shows what it is; `flush` releases
 * what is held at the end of the stream.
 */
export interface StreamRestorer {
  /** Text safe to emit now, placeholders restored. */
  push(piece: string): string;
  /** Whatever is held back, restored. */
  flush(): string;
}

const partialPlaceholder = /^\[(?:[A-Z][A-Z0-9_]*)?$/;

/** A {@link StreamRestorer} over a vault; `json` restores inside JSON text (tool-call arguments). */
export function createStreamRestorer(vault: Vault, input: { json?: boolean } = {}): StreamRestorer {
  expectObject(vault, 'createStreamRestorer', 'vault');
  const options = readOptions(input, 'createStreamRestorer');
  let restore: Vault['restore'];
  try {
    restore = options.json ? vault.restoreJson : vault.restore;
    expectFunction(restore, 'createStreamRestorer', options.json ? 'vault.restoreJson' : 'vault.restore');
  } catch (thrown) {
    throw asInputError(thrown, 'createStreamRestorer');
  }
  let held = '';
  return {
    push(piece) {
      expectString(piece, 'streamRestorer.push', 'piece');
      const text = held + piece;
      held = '';
      if (vault.size === 0) return text;
      const open = text.lastIndexOf('[');
      if (open >= 0 && text.length - open < vault.longest && partialPlaceholder.test(text.slice(open))) {
        held = text.slice(open);
        return restore(text.slice(0, open));
      }
      return restore(text);
    },
    flush() {
      const text = held;
      held = '';
      return restore(text);
    },
  };
}
