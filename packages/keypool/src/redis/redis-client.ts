import { createHash } from 'node:crypto';
import { ErrorCode, Forge1Error, type Forge1ErrorOptions } from '@forge1/core';

/**
 * The part of an ioredis client the Redis stores use, typed structurally so that a host passes
 * its own `new Redis(...)` (or anything with the same methods) and the package needs no ioredis
 * types at runtime.
 */
export interface RedisClientLike {
  /** Sends one command: `call('EVALSHA', [sha, 0, ...args])`. */
  call(command: string, args: Array<string | number>): Promise<unknown>;
  /** ioredis connection status (`ready`, `reconnecting`, …); commands fail fast when not ready. */
  readonly status?: string;
  /** A second connection with the same options, for pub/sub. */
  duplicate?(): RedisClientLike;
  on?(event: string, listener: (...args: never[]) => void): unknown;
  /** Enters pub/sub mode on the channels (on the duplicate connection only). */
  subscribe?(...channels: string[]): Promise<unknown>;
  /** Opens the connection of a client created with `lazyConnect`. */
  connect?(): Promise<void>;
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** Redis could not be reached or failed a command; `retryable`, and the original error is the `cause`. */
export class RedisUnavailableError extends Forge1Error {
  constructor(message: string, options: Forge1ErrorOptions = {}) {
    super(ErrorCode.internal, message, { retryable: true, ...options });
    this.name = 'RedisUnavailableError';
  }
}

const down = new Set(['reconnecting', 'close', 'end']);
// A first connection is awaited (the client queues commands); a connection lost after it fails fast.
const connecting = new Set(['connecting', 'connect']);

/** A client and the way to run scripts and commands on it with a timeout and typed errors. */
export interface RedisConnection {
  client(): Promise<RedisClientLike>;
  /** Runs a Lua script by EVALSHA, loading it with EVAL on NOSCRIPT (e.g. after a Redis restart). */
  script(script: LoadedScript, args: Array<string | number>): Promise<unknown>;
  command(command: string, args: Array<string | number>): Promise<unknown>;
  /** A separate connection for SUBSCRIBE, or undefined when the client cannot duplicate itself. */
  subscriber(): Promise<RedisClientLike | undefined>;
  close(): Promise<void>;
}

/** A script and its SHA-1, computed once. */
export interface LoadedScript {
  readonly source: string;
  readonly sha: string;
}

/** Hashes a Lua script for EVALSHA. */
export const loadScript = (source: string): LoadedScript => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});

const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

/** Creates a client from a URL through ioredis (an optional peer dependency), loaded on first use. */
async function connectUrl(url: string, what: string): Promise<RedisClientLike> {
  let module: {
    default: new (url: string, options: object) => RedisClientLike & { connect(): Promise<void> };
  };
  try {
    module = (await import('ioredis')) as unknown as typeof module;
  } catch (error) {
    throw new Forge1Error(
      ErrorCode.validation,
      `${what}: a Redis URL needs the "ioredis" package installed`,
      {
        cause: error,
      },
    );
  }
  const client = new module.default(url, {
    lazyConnect: true,
    // Fail fast while disconnected instead of queueing commands until Redis returns.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  client.on?.('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Wraps a client (or a URL) into a {@link RedisConnection}: EVALSHA with a NOSCRIPT fallback, a
 * timeout per command and every failure turned into a {@link RedisUnavailableError}.
 */
export function createRedisConnection(
  redis: RedisClientLike | string,
  options: { timeoutMs: number; what: string },
): RedisConnection {
  const owned = typeof redis === 'string';
  let clientPromise: Promise<RedisClientLike> | undefined;
  let subscriberPromise: Promise<RedisClientLike | undefined> | undefined;
  let closed = false;
  let answered = false;

  const unavailable = (error: unknown) =>
    Forge1Error.is(error)
      ? error
      : new RedisUnavailableError(
          `${options.what}: Redis failed (${error instanceof Error ? error.message : String(error)})`,
          { cause: error },
        );

  const client = (): Promise<RedisClientLike> => {
    if (closed) return Promise.reject(new RedisUnavailableError(`${options.what} is closed`));
    if (typeof redis !== 'string') return Promise.resolve(redis);
    clientPromise ??= connectUrl(redis, options.what).catch((error: unknown) => {
      clientPromise = undefined;
      throw unavailable(error);
    });
    return clientPromise;
  };

  const withTimeout = <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new RedisUnavailableError(`${options.what}: Redis did not answer within ${options.timeoutMs} ms`),
        );
      }, options.timeoutMs);
      timer.unref?.();
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(unavailable(error));
        },
      );
    });

  const send = async (command: string, args: Array<string | number>): Promise<unknown> => {
    const connected = await client();
    const status = connected.status ?? 'ready';
    if (down.has(status) || (answered && connecting.has(status))) {
      throw new RedisUnavailableError(`${options.what}: Redis connection is ${status}`);
    }
    const reply = await connected.call(command, args);
    answered = true;
    return reply;
  };

  return {
    client,
    command: (command, args) => withTimeout(send(command, args)),
    script(script, args) {
      const run = async () => {
        try {
          return await send('EVALSHA', [script.sha, 0, ...args]);
        } catch (error) {
          if (!isNoScript(error)) throw error;
          return send('EVAL', [script.source, 0, ...args]);
        }
      };
      return withTimeout(run());
    },
    subscriber() {
      subscriberPromise ??= client().then(async (connected) => {
        const copy = connected.duplicate?.();
        copy?.on?.('error', () => undefined);
        if (copy?.status === 'wait') await copy.connect?.();
        return copy;
      });
      return subscriberPromise;
    },
    async close() {
      if (closed) return;
      closed = true;
      const subscriber = await subscriberPromise?.catch(() => undefined);
      subscriber?.disconnect?.();
      if (owned && clientPromise) {
        const connected = await clientPromise.catch(() => undefined);
        await connected?.quit?.().catch(() => connected.disconnect?.());
      }
    },
  };
}
