import { types } from 'node:util';
import { ValidationError } from './errors.js';

/** Bounds on reading an untrusted value. */
export interface ReadLimits {
  /** Deepest nesting of objects and arrays. @default 64 */
  maxDepth?: number;
  /** Most objects, arrays and their entries read in all. @default 1 000 000 */
  maxNodes?: number;
}

class ReadFailure {
  readonly path: string;
  readonly message: string;
  constructor(path: string, message: string) {
    this.path = path;
    this.message = message;
  }
}

const describe = (thrown: unknown) =>
  thrown instanceof Error
    ? `${thrown.name}${thrown.message ? `: ${thrown.message.slice(0, 200)}` : ''}`
    : typeof thrown;

/**
 * Reads a value a caller handed over into a snapshot of plain data, once: every own enumerable
 * property of plain objects (prototype `Object.prototype` or `null`) and every element of arrays is
 * read exactly one time, so a getter runs once and a Proxy cannot answer differently to the
 * validation and to the code that uses the value. Other objects (class instances, functions,
 * signals, dates) and plain objects with methods (injected dependencies such as a clock written
 * as a literal) are kept by reference. Anything thrown while reading (a getter, a Proxy trap, a
 * revoked Proxy) becomes a `validation_error` naming the field; so do a cyclic value and a value
 * deeper or larger than the limits, so that no input makes the work unbounded.
 * @throws ValidationError
 * @example
 * ```ts
 * const request = readUntrusted(input, 'chat request'); // then validate and use `request` only
 * ```
 */
export function readUntrusted<T = unknown>(value: T, what: string, limits: ReadLimits = {}): T {
  let maxDepth: number;
  let maxNodes: number;
  try {
    maxDepth = limits.maxDepth ?? 64;
    maxNodes = limits.maxNodes ?? 1_000_000;
  } catch (thrown) {
    throw new ValidationError('read limits', [
      { path: '', message: `could not be read (${describe(thrown)})` },
    ]);
  }
  const ancestors = new Set<object>();
  // The path to the value being read, joined only when something is wrong.
  const segments: Array<string | number> = [];
  const here = () => segments.join('.');
  let nodes = 0;

  const store = (copy: Record<string, unknown>, key: string, copied: unknown) => {
    // "__proto__" is defined as data so that it stays a plain field; every other key is assigned,
    // which is much cheaper than defineProperty on the hot path.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: copied,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = copied;
    }
  };

  // An ordinary object: Object.entries reads each own enumerable string key once, checking that it
  // is still there and enumerable just before, as the descriptor walk below does, but without a
  // descriptor per key. When a getter throws, the walk below runs to name the field; should it not
  // throw again, the first error stands, so that no value read twice is ever handed on.
  const readOrdinary = (current: object, copy: Record<string, unknown>, depth: number): boolean => {
    let entries: Array<[string, unknown]>;
    try {
      entries = Object.entries(current);
    } catch (thrown) {
      readTrapped(current, {}, depth);
      throw new ReadFailure(here(), `could not be read (${describe(thrown)})`);
    }
    nodes += entries.length;
    if (nodes > maxNodes) {
      throw new ReadFailure(here(), `has more than ${maxNodes} entries in all`);
    }
    let methods = false;
    for (let index = 0; index < entries.length; index++) {
      const [key, field] = entries[index]!;
      if (typeof field === 'function') methods = true;
      segments.push(key);
      const copied = read(field, depth + 1);
      segments.pop();
      store(copy, key, copied);
    }
    return methods;
  };

  // A Proxy (or the walk that names a throwing getter): its traps answer one at a time, and a data
  // property's value comes from its descriptor, never from a second trap.
  const readTrapped = (current: object, copy: Record<string, unknown>, depth: number): boolean => {
    let keys: Array<string | symbol>;
    try {
      keys = Reflect.ownKeys(current);
    } catch (thrown) {
      throw new ReadFailure(here(), `could not be read (${describe(thrown)})`);
    }
    let methods = false;
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      if (++nodes > maxNodes) throw new ReadFailure(here(), `has more than ${maxNodes} entries in all`);
      segments.push(key);
      let field: unknown;
      try {
        const descriptor = Reflect.getOwnPropertyDescriptor(current, key);
        if (!descriptor?.enumerable) {
          segments.pop();
          continue;
        }
        field = 'value' in descriptor ? descriptor.value : (current as Record<string, unknown>)[key];
      } catch (thrown) {
        throw new ReadFailure(here(), `could not be read (${describe(thrown)})`);
      }
      if (typeof field === 'function') methods = true;
      const copied = read(field, depth + 1);
      segments.pop();
      store(copy, key, copied);
    }
    return methods;
  };

  const read = (current: unknown, depth: number): unknown => {
    if (typeof current !== 'object' || current === null) return current;
    let array: boolean;
    let prototype: object | null;
    try {
      array = Array.isArray(current);
      prototype = Reflect.getPrototypeOf(current);
    } catch (thrown) {
      throw new ReadFailure(here(), `could not be read (${describe(thrown)})`);
    }
    if (!array && prototype !== Object.prototype && prototype !== null) return current;
    if (ancestors.has(current)) throw new ReadFailure(here(), 'is cyclic: it contains itself');
    if (depth >= maxDepth) throw new ReadFailure(here(), `is nested deeper than ${maxDepth} levels`);
    ancestors.add(current);
    try {
      if (array) {
        const source = current as unknown[];
        let length: number;
        try {
          length = source.length;
        } catch (thrown) {
          throw new ReadFailure(here(), `could not be read (${describe(thrown)})`);
        }
        if (!Number.isSafeInteger(length) || length < 0 || nodes + length > maxNodes) {
          throw new ReadFailure(here(), `has more than ${maxNodes} entries in all`);
        }
        const copy = new Array<unknown>(length);
        for (let index = 0; index < length; index++) {
          nodes++;
          segments.push(index);
          let element: unknown;
          try {
            element = source[index];
          } catch (thrown) {
            throw new ReadFailure(here(), `could not be read (${describe(thrown)})`);
          }
          copy[index] = read(element, depth + 1);
          segments.pop();
        }
        return copy;
      }
      const copy: Record<string, unknown> = prototype === null ? Object.create(null) : {};
      const methods = types.isProxy(current)
        ? readTrapped(current, copy, depth)
        : readOrdinary(current, copy, depth);
      // An object with methods is a dependency (a clock, a client, a store written as a literal) whose
      // methods may keep state on `this`: it is checked like data but handed on as itself.
      return methods ? current : copy;
    } finally {
      ancestors.delete(current);
    }
  };

  try {
    return read(value, 0) as T;
  } catch (failure) {
    if (failure instanceof ReadFailure) {
      throw new ValidationError(what, [{ path: failure.path, message: failure.message }]);
    }
    throw failure;
  }
}
