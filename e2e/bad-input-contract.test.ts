// Every public entry point refuses bad input with a Forge1Error (a stable code), never by letting a
// caller's own getter or Proxy error through, a TypeError, a synchronous throw where a stream is
// promised, or a silently wrong number. One test per shape that broke the contract before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, createTenantDirectory, Forge1Error, resolveTenantPolicy } from '@forge1/core';
import { createRecordingMeter, createScriptedAdapter, createStaticRouter } from '@forge1/core/testing';
import { createKeyPool } from '@forge1/keypool';
import { createGuard, createMemorySink, createMeter } from '@forge1/metering';
import { createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';

const throwingGetter = () => {
  const value: Record<string, unknown> = {};
  Object.defineProperty(value, 'messages', {
    enumerable: true,
    get() {
      throw new RangeError('the caller’s own getter');
    },
  });
  return value;
};
const throwingProxy = () =>
  new Proxy(
    {},
    {
      ownKeys() {
        throw new TypeError('the caller’s own trap');
      },
      get() {
        throw new TypeError('the caller’s own trap');
      },
    },
  );

async function forge1Problem(run: () => unknown, code = 'validation_error'): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (!Forge1Error.is(error)) return `threw ${String(error)}`;
    return error.code === code ? undefined : `code ${error.code}`;
  }
  return 'did not throw';
}

async function expectForge1(run: () => unknown, code = 'validation_error') {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  expect(Forge1Error.is(thrown), String(thrown)).toBe(true);
  expect((thrown as Forge1Error).code).toBe(code);
}

const keyPool = () =>
  createKeyPool({
    keys: [{ id: 'k1', provider: 'openai', secret: 'sk-contract-0001', rpm: 100, tpm: 100_000 }],
  });

function gateway() {
  return createGateway({
    tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] }),
    router: createStaticRouter({ provider: 'openai', model: 'gpt-5-nano' }),
    keys: keyPool(),
    providers: { openai: createScriptedAdapter('openai', () => ({ text: 'ok' })) },
    meter: createRecordingMeter(),
  });
}

describe('throwing getters and Proxies become validation errors', () => {
  it('in gateway.chat and gateway.stream', async () => {
    const g = gateway();
    for (const input of [throwingGetter(), throwingProxy()]) {
      await expectForge1(() => g.chat(input as never));
      const stream = g.stream(input as never);
      await expectForge1(async () => {
        for await (const _ of stream) break;
      });
    }
  });

  it('in the factories and entry points of every package', async () => {
    const failures: string[] = [];
    for (const bad of [throwingGetter, throwingProxy]) {
      const tenants = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'standard' }] });
      const cases: Array<[string, () => unknown]> = [
        ['createKeyPool', () => createKeyPool(bad() as never)],
        ['pool.acquire', () => keyPool().acquire(bad() as never)],
        ['createRouter', () => createRouter(bad() as never)],
        ['router.feedback', () => createRouter().feedback(bad() as never)],
        ['router.importState', () => createRouter().importState(bad() as never)],
        ['createMeter', () => createMeter(bad() as never)],
        ['meter.record', () => createMeter({ sinks: [createMemorySink()] }).record(bad() as never)],
        ['createGuard', () => createGuard(bad() as never)],
        ['createTenantDirectory', () => createTenantDirectory(bad() as never)],
        ['tenants.create', () => createTenantDirectory().create(bad() as never)],
        ['tenants.update', () => tenants.update('acme', bad() as never)],
        ['resolveTenantPolicy', () => resolveTenantPolicy(bad())],
      ];
      for (const [name, run] of cases) {
        const problem = await forge1Problem(run);
        if (problem) failures.push(`${bad.name} ${name}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('shapes that threw TypeErrors', () => {
  it('refuses null options, a symbol key id, null guard input and a length that is an object', async () => {
    await expectForge1(() => keyPool().enable(Symbol('x') as never));
    const guard = createGuard();
    await expectForge1(() => guard.check(null as never));
    await expectForge1(() => guard.settle(null as never, null as never));
    await expectForge1(() => gateway().chat({ tenant: 'acme', messages: { length: {} } } as never));
  });
});

describe('input that was accepted but wrong', () => {
  it('refuses a NaN minimum cost instead of turning the spend into NaN', async () => {
    const guard = createGuard();
    const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard' });
    const context = { requestId: 'r1', tenantId: 'acme' };
    await expectForge1(() =>
      guard.check({ policy, context, minimumCostMicros: Number.NaN, estimatedTokens: 10 } as never),
    );
    const usage = await guard.usage('acme');
    expect(Number.isFinite(usage.spentMicros)).toBe(true);
  });

  it('refuses a symbol request id in stream as chat does', async () => {
    const g = gateway();
    const input = { tenant: 'acme', requestId: Symbol('id'), messages: [{ role: 'user', content: 'hi' }] };
    await expectForge1(() => g.chat(input as never));
    await expectForge1(async () => {
      for await (const _ of g.stream(input as never)) break;
    });
  });

  it('refuses cyclic and bigint tool parameters as validation errors', async () => {
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.self = cyclic;
    for (const parameters of [cyclic, { type: 'object', maximum: 10n }]) {
      await expectForge1(() =>
        gateway().chat({
          tenant: 'acme',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ name: 'lookup', parameters }],
        } as never),
      );
    }
  });

  it('refuses a journal path that is a regular file with a Forge1Error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'forge1-journal-')), 'not-a-folder');
    writeFileSync(file, 'x');
    const meter = createMeter({ sinks: [createMemorySink()], journal: file });
    let thrown: unknown;
    try {
      await meter.ready();
    } catch (error) {
      thrown = error;
    }
    expect(Forge1Error.is(thrown)).toBe(true);
    await meter.close().catch(() => undefined);
  });
});
