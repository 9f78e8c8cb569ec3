import { createHash } from 'node:crypto';
import { ErrorCode, Forge1Error, type Forge1ErrorOptions } from '@forge1/core';

/**
 * The part of an ioredis client the counter store uses, typed structurally: metering needs no
 * ioredis at runtime when the host passes its own client.
 */
export interface RedisCommandClient {
  /** Sends one command: `call('EVALSHA', [sha, 0, ...args])`. */
  call(command: string, args: Array<string | number>): Promise<unknown>;
  /** ioredis connection status; commands fail fast while `reconnecting`, `close` or `end`. */
  readonly status?: string;
  on?(event: string, listener: (...args: never[]) => void): unknown;
  connect?(): Promise<void>;
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** Redis could not be reached or failed a command; `retryable`, with the original error as `cause`. */
export class RedisUnavailableError extends Forge1Error {
  constructor(message: string, options: Forge1ErrorOptions = {}) {
    super(ErrorCode.internal, message, { retryable: true, ...options });
    this.name = 'RedisUnavailableError';
  }
}

/** A Lua script and its SHA-1. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Hashes a Lua script for EVALSHA. */
export const luaScript = (source: string): LuaScript => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});

const down = new Set(['reconnecting', 'close', 'end']);

/** Runs scripts by EVALSHA (EVAL on NOSCRIPT) with a timeout; every failure is a {@link RedisUnavailableError}. */
export function createScriptRunner(
  redis: RedisCommandClient | string,
  options: { timeoutMs: number; what: string },
): { run(script: LuaScript, args: Array<string | number>): Promise<unknown>; close(): Promise<void> } {
  let clientPromise: Promise<RedisCommandClient> | undefined;
  const unavailable = (error: unknown) =>
    Forge1Error.is(error)
      ? error
      : new RedisUnavailableError(
          `${options.what}: Redis failed (${error instanceof Error ? error.message : String(error)})`,
          { cause: error },
        );

  const client = (): Promise<RedisCommandClient> => {
    if (typeof redis !== 'string') return Promise.resolve(redis);
    clientPromise ??= (async () => {
      // ioredis is an optional peer, needed only when the store is given a URL.
      const module = (await import('ioredis')) as unknown as {
        default: new (url: string, options: object) => RedisCommandClient & { connect(): Promise<void> };
      };
      const created = new module.default(redis, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      });
      created.on?.('error', () => undefined);
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      clientPromise = undefined;
      throw error;
    });
    return clientPromise;
  };

  const send = async (command: string, args: Array<string | number>) => {
    const connected = await client();
    if (connected.status !== undefined && down.has(connected.status)) {
      throw new RedisUnavailableError(`${options.what}: Redis connection is ${connected.status}`);
    }
    return connected.call(command, args);
  };

  const evaluate = async (script: LuaScript, args: Array<string | number>) => {
    try {
      return await send('EVALSHA', [script.sha, 0, ...args]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return send('EVAL', [script.source, 0, ...args]);
    }
  };

  return {
    run: (script, args) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new RedisUnavailableError(
                `${options.what}: Redis did not answer within ${options.timeoutMs} ms`,
              ),
            ),
          options.timeoutMs,
        );
        timer.unref?.();
        evaluate(script, args).then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(unavailable(error));
          },
        );
      }),
    async close() {
      if (!clientPromise) return;
      const connected = await clientPromise.catch(() => undefined);
      await connected?.quit?.().catch(() => connected.disconnect?.());
    },
  };
}
