import { parseWith } from '@forge1/core';
import { z } from 'zod';

// Structural checks of the plug-ins factories receive: an object with these methods.
const withMethods = (what: string, methods: readonly string[]) =>
  z.custom<object>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    `expected ${what}`,
  );

const clock = withMethods('a Clock', ['now', 'setTimeout', 'clearTimeout']);
const events = withMethods('an EventBus', ['on', 'emit']);
const name = z.string().min(1).max(100);
const usageDatabase = z.custom<object>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    'db' in value &&
    typeof (value as { table?: unknown }).table === 'string' &&
    typeof (value as { migrate?: unknown }).migrate === 'function',
  'expected a UsageDatabase (openSqliteUsageDatabase or openPostgresUsageDatabase)',
);

const schemas = {
  guard: z
    .object({
      counters: withMethods('a GuardCounterStore', ['get', 'reserve', 'add', 'raise', 'markOnce']).optional(),
      usage: withMethods('a usage store with adminSummary', ['adminSummary']).optional(),
      clock: clock.optional(),
      events: events.optional(),
    })
    .strict(),
  usageStore: z
    .object({
      database: usageDatabase,
      catalog: withMethods('a Catalog', ['get', 'list', 'costOf']).optional(),
    })
    .strict(),
  memorySink: z.object({ name: name.optional() }).strict(),
  sqlSink: z
    .object({ database: usageDatabase, name: name.optional(), closeDatabase: z.boolean().optional() })
    .strict(),
  sqliteDatabase: z
    .object({ path: z.string().min(1).optional(), table: z.string().optional(), name: name.optional() })
    .strict(),
};

/**
 * Validates the options object of a metering factory (`undefined` means defaults).
 * @throws ValidationError naming each bad field
 */
export function checkFactoryOptions<T>(kind: keyof typeof schemas, value: T | undefined, what: string): T {
  parseWith(schemas[kind], value ?? {}, what);
  return (value ?? {}) as T;
}
