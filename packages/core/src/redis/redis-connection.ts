import { createHash } from 'node:crypto';
import {
  ErrorCode,
  Forge1Error,
  StoreUnavailableError,
  type StoreUnavailableErrorOptions,
  ValidationError,
} from '../errors.js';
import { asInputError, expectObject, expectString } from '../guards.js';

/**
 * The part of an ioredis client Forge1's Redis stores use, typed structurally: a host passes its
 * own `new Redis(...)` (or anything with the same methods) and core needs no ioredis at all.
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

/** Redis could not be reached or failed a command: code `store_unavailable`, retryable, the original error as `cause`. */
export class RedisUnavailableError extends StoreUnavailableError {
  constructor(message: string, options: StoreUnavailableErrorOptions = {}) {
    super(message, { store: 'redis', ...options });
    this.name = 'RedisUnavailableError';
  }
}

/** A Lua script and its SHA-1, computed once. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Hashes a Lua script for EVALSHA. */
export function luaScript(source: string): LuaScript {
  expectString(source, 'luaScript', 'source');
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** A client and the way to run scripts and commands on it with a timeout and typed errors. */
export interface RedisConnection {
  client(): Promise<RedisClientLike>;
  /** Runs a Lua script by EVALSHA, loading it with EVAL on NOSCRIPT (e.g. after a Redis restart). */
  script(script: LuaScript, args: Array<string | number>): Promise<unknown>;
  command(command: string, args: Array<string | number>): Promise<unknown>;
  /** A separate connection for SUBSCRIBE, or undefined when the client cannot duplicate itself. */
  subscriber(): Promise<RedisClientLike | undefined>;
  /** Closes the subscriber, and the client when the connection created it from a URL. */
  close(): Promise<void>;
}

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** A command that takes longer fails with a {@link RedisUnavailableError}. */
  timeoutMs: number;
  /** Names the store in error messages, e.g. `Redis state store`. */
  what: string;
  /**
   * Loads the ioredis module, for a `redis://` URL: the package that declares ioredis as its
   * (optional peer) dependency passes `() => import('ioredis')`, so core never imports it.
   */
  driver?: () => Promise<unknown>;
}

type Driver = {
  default: new (url: string, options: object) => RedisClientLike & { connect(): Promise<void> };
};

const down = new Set(['reconnecting', 'close', 'end']);
// A first connection is awaited (the client queues commands); a connection lost after it fails fast.
const connecting = new Set(['connecting', 'connect']);

const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

async function connectUrl(url: string, options: RedisConnectionOptions): Promise<RedisClientLike> {
  let module: Driver;
  try {
    if (!options.driver) throw new Error('no driver given');
    module = (await options.driver()) as Driver;
  } catch (error) {
    throw new Forge1Error(
      ErrorCode.validation,
      `${options.what}: a Redis URL needs the "ioredis" package installed`,
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
 * Why a command or script cannot be sent (a validation_error naming `fn`), or undefined: a string
 * command or a script with string `sha` and `source`, and arguments that are strings or finite
 * numbers. The stores pass arguments they built, so this is a typeof per argument; a host's
 * value that the driver would fail on later (outside the caller's promise) is refused here.
 */
function argumentsRefusal(fn: string, args: unknown, command?: unknown, script?: unknown): Error | undefined {
  try {
    if (script === undefined) expectString(command, fn, 'command');
    else {
      expectObject(script, fn, 'script');
      expectString(script.sha, fn, 'script.sha');
      expectString(script.source, fn, 'script.source');
    }
    if (!Array.isArray(args))
      return new ValidationError(`${fn} arguments`, [{ path: 'args', message: 'expected an array' }]);
    for (const arg of args) {
      if (typeof arg !== 'string' && !(typeof arg === 'number' && Number.isFinite(arg))) {
        return new ValidationError(`${fn} arguments`, [
          { path: 'args[]', message: 'expected strings and finite numbers' },
        ]);
      }
    }
    return undefined;
  } catch (thrown) {
    return asInputError(thrown, fn);
  }
}

/**
 * Wraps a client (or a URL) into a {@link RedisConnection}: EVALSHA with a NOSCRIPT fallback, a
 * timeout per command and every failure turned into a {@link RedisUnavailableError}.
 *
 * @example
 * ```ts
 * const connection = createRedisConnection(process.env.REDIS_URL!, {
 *   timeoutMs: 1000,
 *   what: 'my store',
 *   driver: () => import('ioredis'),
 * });
 * const reply = await connection.script(luaScript('return 1'), []);
 * ```
 */
export function createRedisConnection(
  redis: RedisClientLike | string,
  options: RedisConnectionOptions,
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
    clientPromise ??= connectUrl(redis, options).catch((error: unknown) => {
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
    command(command, args) {
      const refused = argumentsRefusal('redis.command', args, command);
      return refused ? Promise.reject(refused) : withTimeout(send(command, args));
    },
    script(script, args) {
      const refused = argumentsRefusal('redis.script', args, undefined, script);
      if (refused) return Promise.reject(refused);
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
