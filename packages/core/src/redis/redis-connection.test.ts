import { describe, expect, it } from 'vitest';
import { Forge1Error } from '../errors.js';
import { createRedisConnection, luaScript, type RedisClientLike, RedisUnavailableError } from './index.js';

const options = { timeoutMs: 200, what: 'test store' };

/** A client that records commands and answers from `reply`. */
const fakeClient = (
  reply: (command: string, args: Array<string | number>) => Promise<unknown>,
  status = 'ready',
) => {
  const calls: string[] = [];
  const client: RedisClientLike & { calls: string[] } = {
    calls,
    status,
    call: (command, args) => {
      calls.push(command);
      return reply(command, args);
    },
  };
  return client;
};

describe('luaScript', () => {
  it('hashes the source with SHA-1 for EVALSHA', () => {
    expect(luaScript('return 1').sha).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
  });
});

describe('createRedisConnection', () => {
  it('runs a script by EVALSHA', async () => {
    const client = fakeClient(async () => 7);
    const connection = createRedisConnection(client, options);
    expect(await connection.script(luaScript('return 7'), [])).toBe(7);
    expect(client.calls).toEqual(['EVALSHA']);
  });

  it('refuses a command, script or argument the driver cannot send with a validation error, sending nothing', async () => {
    const client = fakeClient(async () => 'OK');
    const connection = createRedisConnection(client, options);
    const refused = { code: 'validation_error' };
    await expect(connection.command(Object.create(null), [])).rejects.toMatchObject(refused);
    await expect(connection.command('GET', 'key' as never)).rejects.toMatchObject(refused);
    await expect(connection.command('GET', [Number.NaN])).rejects.toMatchObject(refused);
    await expect(connection.script({} as never, [])).rejects.toMatchObject(refused);
    await expect(connection.script(luaScript('return 1'), [{} as never])).rejects.toMatchObject(refused);
    expect(client.calls).toEqual([]);
  });

  it('loads the script with EVAL when Redis answers NOSCRIPT', async () => {
    const client = fakeClient(async (command) => {
      if (command === 'EVALSHA') throw new Error('NOSCRIPT No matching script');
      return 'loaded';
    });
    const connection = createRedisConnection(client, options);
    expect(await connection.script(luaScript('return 1'), [])).toBe('loaded');
    expect(client.calls).toEqual(['EVALSHA', 'EVAL']);
  });

  it('turns a failed command into a retryable store_unavailable RedisUnavailableError keeping the cause', async () => {
    const cause = new Error('ECONNRESET');
    const connection = createRedisConnection(
      fakeClient(async () => {
        throw cause;
      }),
      options,
    );
    const error = await connection.command('GET', ['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error).toMatchObject({ code: 'store_unavailable', retryable: true, store: 'redis', cause });
  });

  it('fails fast while the connection is reconnecting', async () => {
    const client = fakeClient(async () => 1, 'reconnecting');
    const error = await createRedisConnection(client, options)
      .command('PING', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(client.calls).toEqual([]);
  });

  it('fails a command Redis does not answer within the timeout', async () => {
    const connection = createRedisConnection(
      fakeClient(() => new Promise(() => undefined)),
      { ...options, timeoutMs: 5 },
    );
    await expect(connection.command('PING', [])).rejects.toThrow(/did not answer within 5 ms/);
  });

  it('refuses a URL without a driver with a validation error', async () => {
    const error = await createRedisConnection('redis://127.0.0.1:1', options)
      .command('PING', [])
      .catch((e: unknown) => e);
    expect(Forge1Error.is(error, 'validation_error')).toBe(true);
  });

  it('refuses commands once closed, and leaves a client it did not create open', async () => {
    let quit = false;
    const client = { ...fakeClient(async () => 1), quit: async () => (quit = true) };
    const connection = createRedisConnection(client, options);
    await connection.close();
    await expect(connection.command('PING', [])).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(quit).toBe(false);
  });

  it('opens a separate subscriber connection from a client that can duplicate itself', async () => {
    const copy = fakeClient(async () => 1);
    const client = { ...fakeClient(async () => 1), duplicate: () => copy };
    expect(await createRedisConnection(client, options).subscriber()).toBe(copy);
  });
});
