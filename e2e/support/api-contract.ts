import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Forge1Error } from '@forge1/core';
import { hostileValues } from '../../scripts/hostile-values.ts';

// The bad-input contract of the public API, as one probe: a call either returns normally or fails
// with a Forge1Error; a promise settles in bounded time and rejects only with a Forge1Error; a
// stream fails as a stream (its iteration rejects, the call itself does not throw); no number it
// returns is NaN; and nothing it starts rejects unhandled.

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every entry of every package's exports map, as import specifiers (`@forge1/x`, `@forge1/x/sub`). */
export function packageEntries(): string[] {
  const entries: string[] = [];
  for (const folder of readdirSync(`${root}packages`).sort()) {
    const manifest = JSON.parse(readFileSync(`${root}packages/${folder}/package.json`, 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath === './package.json') continue;
      entries.push(subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`);
    }
  }
  return entries;
}

const hostileLabels = [
  'throwing getters',
  'Proxy whose traps throw',
  'Proxy that answers differently',
  'a symbol',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  'a bigint',
  'a cyclic object',
  'Object.create(null)',
  '{ length: {} }',
  '{ messages: { length: {} } }',
  'a 10 MB string',
  '[10 MB string]',
];
const revoked = Proxy.revocable({}, {});
revoked.revoke();

/** The values each argument position is tried with, labelled for the report. */
export const contractValues: ReadonlyArray<readonly [string, unknown]> = [
  ...hostileValues.map((value, index) => [hostileLabels[index] ?? `hostile #${index}`, value] as const),
  ['null', null],
  ['undefined', undefined],
  ['42', 42],
  ['[]', []],
  ['a function', () => undefined],
  ['a revoked Proxy', revoked.proxy],
];

const describeThrown = (thrown: unknown): string => {
  if (thrown instanceof Error) return `${thrown.constructor.name}: ${thrown.message.slice(0, 120)}`;
  return `a thrown ${typeof thrown}`;
};

const isObject = (value: unknown): value is Record<PropertyKey, unknown> =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

function safeGet(value: unknown, key: PropertyKey): unknown {
  try {
    return isObject(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** What a call promised, as far as the probe can tell. */
export interface CallShape {
  /** The call is documented to return a stream: a synchronous throw breaks the contract. */
  stream?: boolean;
  /** Leave the result open (it is the object under test, or shares its resources). */
  keep?: boolean;
  /** The call returns (a snapshot of) what it is given, NaN included. */
  nanAllowed?: boolean;
}

/** Collects unhandled rejections; the probe attributes new ones to the call that just ran. */
export const unhandled: unknown[] = [];
const onRejection = (reason: unknown) => unhandled.push(reason);
/** Starts collecting unhandled rejections. */
export const trackRejections = () => process.on('unhandledRejection', onRejection);
/** Stops collecting unhandled rejections. */
export const untrackRejections = () => process.off('unhandledRejection', onRejection);

const timeoutMs = 2_000;
const within = async <T>(promise: PromiseLike<T>): Promise<{ value?: T; error?: unknown; hung?: true }> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<{ hung: true }>((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(promise).then((value) => ({ value })), hang]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
};

function nanIn(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? 'returned NaN' : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let prototype: unknown;
  try {
    prototype = Object.getPrototypeOf(value);
  } catch {
    return undefined;
  }
  if (prototype !== Object.prototype) return undefined;
  for (const key of Object.keys(value)) {
    const field = safeGet(value, key);
    if (typeof field === 'number' && Number.isNaN(field)) return `returned NaN in ${key}`;
  }
  return undefined;
}

async function cleanUp(value: unknown): Promise<void> {
  for (const name of ['close', 'stop', 'dispose', 'shutdown']) {
    const method = safeGet(value, name);
    if (typeof method !== 'function') continue;
    try {
      await within(Promise.resolve(method.call(value)));
    } catch {
      // Best effort: a result that cannot be closed is not the contract under test.
    }
    return;
  }
}

/**
 * Runs `call` and returns what broke the contract, or undefined. Results are closed unless
 * `shape.keep`; a result that is a stream is read for a few chunks.
 */
export async function probe(call: () => unknown, shape: CallShape = {}): Promise<string | undefined> {
  const before = unhandled.length;
  let problem: string | undefined;
  let out: unknown;
  try {
    out = call();
  } catch (thrown) {
    if (shape.stream) problem = `threw synchronously where a stream is promised (${describeThrown(thrown)})`;
    else if (!Forge1Error.is(thrown)) problem = `threw ${describeThrown(thrown)}`;
  }
  if (problem === undefined && typeof safeGet(out, 'then') === 'function') {
    const settled = await within(out as PromiseLike<unknown>);
    if (settled.hung) problem = `did not settle within ${timeoutMs} ms`;
    else if ('error' in settled && !Forge1Error.is(settled.error)) {
      problem = `rejected with ${describeThrown(settled.error)}`;
    } else out = settled.value;
  }
  if (problem === undefined && typeof safeGet(out, Symbol.asyncIterator) === 'function') {
    problem = await readStream(out as AsyncIterable<unknown>);
  }
  if (!shape.nanAllowed) problem ??= nanIn(out);
  if (!shape.keep && out !== undefined) await cleanUp(out);
  await new Promise((resolve) => setImmediate(resolve));
  if (problem === undefined && unhandled.length > before) {
    problem = `left an unhandled rejection (${describeThrown(unhandled[before])})`;
  }
  return problem;
}

async function readStream(stream: AsyncIterable<unknown>): Promise<string | undefined> {
  let iterator: AsyncIterator<unknown>;
  try {
    iterator = stream[Symbol.asyncIterator]();
  } catch (thrown) {
    return Forge1Error.is(thrown) ? undefined : `stream threw ${describeThrown(thrown)}`;
  }
  try {
    for (let read = 0; read < 3; read++) {
      const next = await within(iterator.next());
      if (next.hung) return `stream did not answer within ${timeoutMs} ms`;
      if ('error' in next) {
        return Forge1Error.is(next.error) ? undefined : `stream failed with ${describeThrown(next.error)}`;
      }
      if (next.value?.done) return undefined;
    }
  } finally {
    await within(Promise.resolve(iterator.return?.()));
  }
  return undefined;
}

/** Names of an object's methods, own and inherited (but not Object's), closing methods last. */
export function methodsOf(target: object): string[] {
  const names = new Set<string>();
  for (let current: object | null = target; current && current !== Object.prototype; ) {
    for (const key of Object.getOwnPropertyNames(current)) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (descriptor && 'value' in descriptor && typeof descriptor.value === 'function') names.add(key);
    }
    current = Object.getPrototypeOf(current);
    if (current === Function.prototype) break;
  }
  const closing = /^(close|stop|dispose|shutdown|quit|destroy|end|revoke)/;
  return [...names].sort((a, b) => Number(closing.test(a)) - Number(closing.test(b)) || a.localeCompare(b));
}

/** True for a class (constructors are documented to be called with `new`). */
export const isClass = (value: unknown): boolean =>
  typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
