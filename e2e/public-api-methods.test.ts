// Every method of the objects the factories return (gateway, tenant directory and store, catalog,
// key pool and lease, router, learner, stats, verifiers, meter, guard, counter store, sinks, usage
// store, redactor, vault, scanner, audit store and trail, retention, telemetry, adapters and the
// emulator) refuses hostile values in each argument position with a Forge1Error: no TypeError,
// no caller's own error, no synchronous throw where a stream is promised, no hang, no NaN, no
// unhandled rejection. Then fuzzed argument lists (the seed is printed; FORGE1_FUZZ_SEED replays it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractValues,
  methodsOf,
  probe,
  trackRejections,
  untrackRejections,
} from './support/api-contract.ts';
import { type Subject, subjects } from './support/api-objects.ts';
import { anything } from './support/fuzz.ts';

const dir = mkdtempSync(join(tmpdir(), 'forge1-api-methods-'));
const builders = subjects(dir);
const startDir = process.cwd();
beforeAll(() => {
  process.chdir(dir);
  trackRejections();
});
afterAll(() => {
  untrackRejections();
  process.chdir(startDir);
  rmSync(dir, { recursive: true, force: true });
});

async function callEach(
  subject: Subject,
  each: (name: string, call: (args: unknown[]) => unknown, arity: number) => Promise<void>,
): Promise<void> {
  for (const name of methodsOf(subject.target)) {
    if (subject.skip?.[name]) continue;
    const method = (subject.target as Record<string, (...args: unknown[]) => unknown>)[name]!;
    const arity = Math.min(Math.max(method.length, subject.valid?.[name]?.length ?? 0, 1), 3);
    await each(name, (args) => method.apply(subject.target, args), arity);
  }
}

describe.each(Object.keys(builders))('%s', (label) => {
  it('refuses hostile values in each argument position of every method with a Forge1Error', async (context) => {
    const subject = await builders[label]!();
    if (subject.unavailable) {
      console.warn(`${label}: skipped (${subject.unavailable})`);
      return context.skip();
    }
    const problems: string[] = [];
    try {
      await callEach(subject, async (name, call, arity) => {
        const valid = subject.valid?.[name] ?? [];
        const stream = subject.streams?.includes(name) ?? false;
        for (const [valueLabel, value] of contractValues) {
          for (let position = 0; position < arity; position++) {
            const args = Array.from({ length: arity }, (_, index) => valid[index]);
            args[position] = value;
            const problem = await probe(() => call(args), { stream, keep: true });
            if (problem) {
              problems.push(`${name}(${valueLabel} at ${position}): ${problem}`);
              break;
            }
          }
        }
      });
    } finally {
      await subject.close?.();
    }
    expect(problems).toEqual([]);
  });

  it('keeps the contract on fuzzed argument lists for every method', async (context) => {
    const subject = await builders[label]!();
    if (subject.unavailable) return context.skip();
    const problems: string[] = [];
    try {
      await callEach(subject, async (name, call) => {
        const stream = subject.streams?.includes(name) ?? false;
        await fc
          .assert(
            fc.asyncProperty(fc.array(anything, { maxLength: 3 }), async (args) => {
              const problem = await probe(() => call(args), { stream, keep: true });
              if (problem) problems.push(`${name}: ${problem}`);
              return problem === undefined;
            }),
            { numRuns: 10, endOnFailure: true },
          )
          .catch(() => undefined);
      });
    } finally {
      await subject.close?.();
    }
    expect(problems).toEqual([]);
  });
});
