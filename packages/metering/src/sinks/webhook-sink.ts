import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type Clock,
  ErrorCode,
  expectString,
  Forge1Error,
  type MeterSinkV1,
  parseWith,
  readOptions,
  Secret,
  sleep,
  systemClock,
  toSecret,
} from '@forge1/core';
import { z } from 'zod';
import { readBatch } from './sink-batch.js';

/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const webhookSignatureHeader = 'x-forge1-signature';
/** Header carrying the send time, epoch milliseconds; the signature covers it. */
export const webhookTimestampHeader = 'x-forge1-timestamp';
/** How far a webhook's timestamp may be from the receiver's clock before it is refused. */
export const defaultWebhookToleranceMs = 300_000;

/** Options of {@link createWebhookSink}. */
export interface WebhookSinkOptions {
  /** Where batches are POSTed as `{"records": [...]}`. */
  url: string;
  /** Key of the HMAC-SHA256 signature; held as a {@link Secret}. */
  secret: string | Secret;
  /** Sink name. @default 'webhook' */
  name?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Per-request timeout. @default 10 000 */
  timeoutMs?: number;
  /** Tries per batch (network errors, 408, 429 and 5xx are retried). @default 3 */
  attempts?: number;
  /** First retry delay; doubles each time. @default 200 */
  retryDelayMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  clock?: Clock;
}

const schema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    secret: z.union([
      z.string().min(1),
      z.custom<Secret>((value) => typeof value === 'object' && value !== null),
    ]),
    name: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    attempts: z.number().int().min(1).max(20).optional(),
    retryDelayMs: z.number().int().nonnegative().optional(),
    fetch: z.custom<typeof fetch>((value) => typeof value === 'function').optional(),
    clock: z.custom<Clock>().optional(),
  })
  .strict();

/**
 * `sha256=<hex>`: the HMAC-SHA256 of `<timestamp>.<body>`, so that neither the body nor the time
 * it was sent can be changed without the secret.
 */
export function signWebhookBody(body: string, timestamp: number | string, secret: string | Secret): string {
  expectString(body, 'signWebhookBody', 'body');
  if (typeof timestamp !== 'number') expectString(timestamp, 'signWebhookBody', 'timestamp');
  if (!(secret instanceof Secret)) expectString(secret, 'signWebhookBody', 'secret');
  const mac = createHmac('sha256', toSecret(secret).reveal()).update(`${timestamp}.${body}`).digest('hex');
  return `sha256=${mac}`;
}

/** What a receiver checks with {@link verifyWebhookSignature}. */
export interface WebhookVerification {
  /** The raw request body, exactly as received. */
  body: string;
  /** The `x-forge1-signature` header. */
  signature: string | undefined;
  /** The `x-forge1-timestamp` header. */
  timestamp: string | undefined;
  secret: string | Secret;
  /** Largest accepted distance between the timestamp and `now`. @default 300 000 (5 minutes) */
  toleranceMs?: number;
  /** The receiver's time, epoch ms. @default Date.now() */
  now?: number;
}

/**
 * Checks a webhook request, for receivers: the signature must match the body and the timestamp
 * (compared in constant time), and the timestamp must be within `toleranceMs` of `now`, so that a
 * captured request cannot be replayed later. Store each record id once all the same: a retry
 * inside the window is a legitimate second delivery.
 * @example
 * ```ts
 * const ok = verifyWebhookSignature({
 *   body: rawBody,
 *   signature: request.headers['x-forge1-signature'],
 *   timestamp: request.headers['x-forge1-timestamp'],
 *   secret,
 * });
 * if (!ok) reply(401);
 * ```
 */
export function verifyWebhookSignature(input: WebhookVerification): boolean {
  const request = readOptions(input, 'verifyWebhookSignature');
  const { body, signature, timestamp, secret } = request;
  if (typeof body !== 'string' || typeof signature !== 'string' || typeof timestamp !== 'string')
    return false;
  if (!/^\d{1,16}$/.test(timestamp)) return false;
  const now = request.now ?? Date.now();
  const tolerance = request.toleranceMs ?? defaultWebhookToleranceMs;
  if (!(Math.abs(now - Number(timestamp)) <= tolerance)) return false;
  const expected = Buffer.from(signWebhookBody(body, timestamp, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * A sink that POSTs each batch as JSON, stamped (`x-forge1-timestamp`) and signed with
 * HMAC-SHA256 over the timestamp and the body (`x-forge1-signature`), retrying network errors, 408, 429 and 5xx with backoff.
 * Delivery is at least once: the receiver stores each record id once.
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const sink = createWebhookSink({ url: 'https://billing.example.com/usage', secret: process.env.USAGE_HOOK_SECRET! });
 * ```
 */
export function createWebhookSink(options: WebhookSinkOptions): MeterSinkV1 {
  const parsed = parseWith(schema, options, 'webhook sink options');
  const secret = toSecret(parsed.secret as string | Secret);
  const clock = parsed.clock ?? systemClock;
  const send = parsed.fetch ?? fetch;
  const attempts = parsed.attempts ?? 3;
  const retryDelayMs = parsed.retryDelayMs ?? 200;
  const timeoutMs = parsed.timeoutMs ?? 10_000;
  const name = parsed.name ?? 'webhook';

  const post = async (body: string) => {
    // Each try is stamped and signed afresh, so a retry is never refused as stale.
    const timestamp = String(clock.now());
    const response = await send(parsed.url, {
      method: 'POST',
      headers: {
        ...parsed.headers,
        'content-type': 'application/json',
        [webhookSignatureHeader]: signWebhookBody(body, timestamp, secret),
        [webhookTimestampHeader]: timestamp,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    throw new Forge1Error(ErrorCode.internal, `webhook ${name} answered HTTP ${response.status}`, {
      retryable: retryableStatus(response.status),
    });
  };

  return {
    specificationVersion: 'v1',
    name,
    async write(batch) {
      const records = readBatch(batch, 'webhookSink.write');
      if (records.length === 0) return;
      const body = JSON.stringify({ records });
      for (let attempt = 1; ; attempt++) {
        try {
          await post(body);
          return;
        } catch (error) {
          const retryable = Forge1Error.is(error) ? error.retryable : true;
          if (!retryable || attempt >= attempts) {
            if (Forge1Error.is(error)) throw error;
            throw new Forge1Error(ErrorCode.internal, `webhook ${name} failed: ${(error as Error).message}`, {
              cause: error,
              retryable: true,
            });
          }
          await sleep(retryDelayMs * 2 ** (attempt - 1), { clock, background: true });
        }
      }
    },
  };
}
