import { parseWith } from '@forge1/core';
import { z } from 'zod';

/** The three wire formats the emulator speaks. */
export type EmulatorProvider = 'openai' | 'anthropic' | 'google';

/** Rate limits of one API key, each over the emulator's `windowMs`. Absent = unlimited. */
export interface EmulatorKeyLimits {
  /** Requests per window. */
  rpm?: number;
  /** Tokens (input + output) per window. */
  tpm?: number;
}

/** Which requests a fault applies to; every field given must match. */
export interface EmulatorFaultMatch {
  provider?: EmulatorProvider | readonly EmulatorProvider[];
  model?: string | readonly string[];
  /** API key value(s); hashed when the fault is set, never kept as a value. */
  key?: string | readonly string[];
  /** Only streaming (true) or only non-streaming (false) requests. */
  stream?: boolean;
}

/** When a fault fires, among the requests it matches. With no trigger it fires on every one. */
export interface EmulatorFaultTrigger {
  /** Probability per matching request, drawn from the seeded generator (0–1). */
  rate?: number;
  /** 1-based numbers of the matching requests (counted since the faults were set), inclusive. */
  requests?: { from?: number; to?: number };
  /** Epoch-millisecond window on the emulator's clock, `from` inclusive, `to` exclusive. */
  time?: { from?: number; to?: number };
}

/** What a fault does. */
export type EmulatorFaultEffect =
  /** Answer with this status and the provider's real body and headers. */
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504 | 529; retryAfterSeconds?: number }
  /** Wait `delayMs` (on real timers), then answer normally. */
  | { kind: 'slow'; delayMs: number }
  /** Destroy the socket: before any byte, or (`midStream`) halfway through a stream. */
  | { kind: 'drop'; midStream?: boolean }
  /** A 200 whose JSON body is cut short, or a stream with a broken event. */
  | { kind: 'malformed' }
  /** A 200 stream that breaks off halfway with the provider's in-stream error. Streams only. */
  | { kind: 'midStream'; status?: 429 | 500 | 503 | 529 };

/**
 * A fault to inject: `match` (who), a trigger (`rate`, `requests`, `time`) and an effect (`kind`).
 * @example
 * ```ts
 * // Every request to gpt-4o-mini fails with OpenAI's real 503 for the next 10 s of the clock.
 * { match: { model: 'gpt-4o-mini' }, time: { to: Date.now() + 10_000 }, kind: 'status', status: 503 }
 * // One request in five to Anthropic gets 529 overloaded.
 * { match: { provider: 'anthropic' }, rate: 0.2, kind: 'status', status: 529 }
 * ```
 */
export type EmulatorFault = { name?: string; match?: EmulatorFaultMatch } & EmulatorFaultTrigger &
  EmulatorFaultEffect;

/** Options of {@link startProviderEmulator}. */
export interface ProviderEmulatorOptions {
  /** Port on 127.0.0.1. @default 0 (any free port) */
  port?: number;
  /** Limits per API key value. */
  keys?: Record<string, EmulatorKeyLimits>;
  /** Limits of keys not listed in `keys`. @default unlimited */
  defaultLimits?: EmulatorKeyLimits;
  /** Keys refused with each provider's real authentication error. */
  revokedKeys?: readonly string[];
  /** Rate-limit window in milliseconds. @default 60_000 */
  windowMs?: number;
  /** Latency added to every response, spread between stream chunks. @default 0 */
  latencyMs?: number;
  /** Faults to inject (see {@link EmulatorFault}). @default [] */
  faults?: readonly EmulatorFault[];
  /** Seed of fault draws and answers. @default 1 */
  seed?: number;
  /** Time source of rate limits, reset headers and fault time windows. @default Date */
  clock?: { now(): number };
}

const count = z.number().int().positive();
const limitsSchema = z.object({ rpm: count.optional(), tpm: count.optional() }).strict();
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]);
const providerSchema = z.enum(['openai', 'anthropic', 'google']);
const range = z.object({ from: z.number().optional(), to: z.number().optional() }).strict();

const common = {
  name: z.string().optional(),
  match: z
    .object({
      provider: oneOrMany(providerSchema).optional(),
      model: oneOrMany(z.string()).optional(),
      key: oneOrMany(z.string()).optional(),
      stream: z.boolean().optional(),
    })
    .strict()
    .optional(),
  rate: z.number().min(0).max(1).optional(),
  requests: range.optional(),
  time: range.optional(),
};

const faultSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...common,
      kind: z.literal('status'),
      status: z.union([
        z.literal(429),
        z.literal(500),
        z.literal(502),
        z.literal(503),
        z.literal(504),
        z.literal(529),
      ]),
      retryAfterSeconds: z.number().nonnegative().optional(),
    })
    .strict(),
  z.object({ ...common, kind: z.literal('slow'), delayMs: z.number().int().nonnegative() }).strict(),
  z.object({ ...common, kind: z.literal('drop'), midStream: z.boolean().optional() }).strict(),
  z.object({ ...common, kind: z.literal('malformed') }).strict(),
  z
    .object({
      ...common,
      kind: z.literal('midStream'),
      status: z.union([z.literal(429), z.literal(500), z.literal(503), z.literal(529)]).optional(),
    })
    .strict(),
]);

/** The faults list schema, used by `setFaults` too. */
export const faultsSchema = z.array(faultSchema);

const optionsSchema = z
  .object({
    port: z.number().int().min(0).max(65_535).default(0),
    // Limits are checked one by one below so that a key value never appears in an issue path.
    keys: z.record(z.string(), z.unknown()).default({}),
    defaultLimits: limitsSchema.default({}),
    revokedKeys: z.array(z.string()).default([]),
    windowMs: z.number().int().positive().default(60_000),
    latencyMs: z.number().nonnegative().default(0),
    faults: faultsSchema.default([]),
    seed: z.number().int().default(1),
    clock: z
      .custom<{ now(): number }>((value) => typeof (value as { now?: unknown })?.now === 'function')
      .optional(),
  })
  .strict();

/** Options after validation and defaults. */
export type ResolvedEmulatorOptions = Required<Omit<ProviderEmulatorOptions, 'clock'>> & {
  clock: { now(): number };
};

/**
 * Validates the emulator's options and fills in defaults.
 * @throws ValidationError naming each bad field.
 */
export function resolveEmulatorOptions(options: ProviderEmulatorOptions = {}): ResolvedEmulatorOptions {
  const parsed = parseWith(optionsSchema, options, 'provider emulator options');
  const keys: Record<string, EmulatorKeyLimits> = {};
  Object.entries(parsed.keys).forEach(([apiKey, limits], index) => {
    keys[apiKey] = parseWith(limitsSchema, limits, `provider emulator options: keys[#${index}]`);
  });
  return { ...parsed, keys, clock: parsed.clock ?? { now: () => Date.now() } } as ResolvedEmulatorOptions;
}

/**
 * Validates a list of faults.
 * @throws ValidationError naming each bad field.
 */
export function parseFaults(faults: readonly EmulatorFault[]): EmulatorFault[] {
  return parseWith(faultsSchema, faults, 'emulator faults') as EmulatorFault[];
}

/**
 * Validates one key's limits.
 * @throws ValidationError naming each bad field.
 */
export function parseKeyLimits(limits: EmulatorKeyLimits): EmulatorKeyLimits {
  return parseWith(limitsSchema, limits, 'emulator key limits');
}
