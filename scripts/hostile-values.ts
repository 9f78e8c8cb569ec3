// Values an adversarial caller hands over, for the fuzzers: a getter or a Proxy that throws,
// symbols, numbers that break arithmetic, bigints, cycles, objects without a
// prototype and a 10 MB string. Each is built once; reading them must give a Forge1Error, never
// the thrower's own error, a TypeError or a hang.

// How the fuzzing library prints a value of a failing case (its toStringMethod symbol): hostile
// values must be printable without running their traps.
const printAs = (label: string) => ({ [Symbol.for('fast-check/toStringMethod')]: () => label });

const thrower = () => {
  throw new RangeError('hostile getter');
};

function withThrowingGetter(): Record<string, unknown> {
  const value: Record<string, unknown> = { ...printAs('<object with throwing getters>') };
  for (const key of [
    'messages',
    'keys',
    'sinks',
    'tenants',
    'tier',
    'provider',
    'id',
    'tenantId',
    'policy',
  ]) {
    Object.defineProperty(value, key, { enumerable: true, get: thrower });
  }
  return value;
}

// Traps throw for string keys only: the fuzzing library itself reads symbol keys of what it generates.
const stringKeyThrower = (target: object, key: string | symbol) =>
  typeof key === 'string' ? thrower() : Reflect.get(target, key);
const throwingProxy = new Proxy(printAs('<Proxy whose traps throw>'), {
  get: stringKeyThrower,
  ownKeys: thrower,
  getOwnPropertyDescriptor: (target, key) =>
    typeof key === 'string' ? thrower() : Reflect.getOwnPropertyDescriptor(target, key),
  has: (target, key) => (typeof key === 'string' ? thrower() : Reflect.has(target, key)),
});
// A Proxy that answers a different value every time it is read.
let flips = 0;
const shapeShifter = new Proxy(
  { tenant: 'acme', messages: [], ...printAs('<Proxy that answers differently each time>') },
  {
    get: (target, key) =>
      typeof key === 'symbol' || key === 'then'
        ? Reflect.get(target, key)
        : flips++ % 2
          ? 'acme'
          : { length: {} },
  },
);
const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
cyclic.list = [cyclic];
const nullPrototype = Object.assign(Object.create(null), { tenant: 'acme', tier: 'standard', id: 'k1' });
const huge = 'x'.repeat(10 * 1024 * 1024);

/** The hostile values, in a fixed order (fuzzers pick among them by index). */
export const hostileValues: readonly unknown[] = [
  withThrowingGetter(),
  throwingProxy,
  shapeShifter,
  Symbol('hostile'),
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  2n ** 70n,
  cyclic,
  nullPrototype,
  { length: {} },
  { messages: { length: {} } },
  huge,
  [huge],
];
