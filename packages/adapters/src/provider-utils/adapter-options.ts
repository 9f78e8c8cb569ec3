import { type Clock, parseWith } from '@forge1/core';
import { z } from 'zod';

/** Options every built-in adapter takes. */
export interface BaseAdapterOptions<Client> {
  /** Base URL of the API (a proxy, a gateway, the emulator). @default the SDK's own */
  baseURL?: string;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** A client the host built, used for every key (the call's key is then not used). */
  client?: Client;
  /** Builds the client of one key; called once per key (cached by key id and secret fingerprint). */
  createClient?: (apiKey: string, keyId: string | undefined) => Client;
  /** Most SDK clients cached at once. @default 256 */
  maxClients?: number;
  /** Time source for latency and timeouts. @default systemClock */
  clock?: Clock;
}

const isFunction = (value: unknown) => typeof value === 'function';
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** The zod shape of {@link BaseAdapterOptions}, extended by each adapter. */
export const baseAdapterShape = {
  baseURL: z.url().optional(),
  defaultHeaders: z.record(z.string(), z.string()).optional(),
  client: z.custom<object>(isObject, 'expected an SDK client object').optional(),
  createClient: z
    .custom<(apiKey: string, keyId: string | undefined) => unknown>(isFunction, 'expected a function')
    .optional(),
  maxClients: z.int().positive().optional(),
  clock: z
    .custom<Clock>((value) => isObject(value) && isFunction((value as Clock).now), 'expected a Clock')
    .optional(),
};

/**
 * Validates adapter options with a zod object schema.
 * @throws ValidationError naming each bad field.
 */
export function parseAdapterOptions<T>(schema: z.ZodType, options: unknown, what: string): T {
  parseWith(schema, options ?? {}, what);
  // zod strips unknown keys and rebuilds objects; the host's client and functions are kept as given.
  return (options ?? {}) as T;
}

/** The client options of the Stainless SDKs (`openai`, `@anthropic-ai/sdk`) that every adapter passes on. */
export function stainlessClientOptions(
  apiKey: string,
  options: Pick<BaseAdapterOptions<unknown>, 'baseURL' | 'defaultHeaders'>,
): { apiKey: string; maxRetries: 0; baseURL?: string; defaultHeaders?: Record<string, string> } {
  return {
    apiKey,
    // Retries are the resilience layer's (and the gateway's, which moves to another key).
    maxRetries: 0,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(options.defaultHeaders === undefined ? {} : { defaultHeaders: options.defaultHeaders }),
  };
}
