// Every exported function of every package entry (each subpath of each exports map, read at run
// time, so that a new export is covered without editing this file) refuses bad input with a
// Forge1Error: hostile values in every argument position, then fuzzed argument lists (the seed
// is printed; FORGE1_FUZZ_SEED replays it). The methods of the objects the factories build are
// covered by public-api-methods.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractValues,
  isClass,
  packageEntries,
  probe,
  trackRejections,
  untrackRejections,
} from './support/api-contract.ts';
import { anything } from './support/fuzz.ts';

// Exports whose contract is documented otherwise, with the reason.
const allowed: Record<string, string> = {
  // Conformance kits register vitest suites (describe/it) for a factory: calling one inside a test
  // is a usage error that vitest itself reports.
  '@forge1/adapters/testing.runAdapterConformance': 'registers vitest tests',
  '@forge1/keypool/testing.runKeyPoolConformance': 'registers vitest tests',
  '@forge1/keypool/testing.runStateStoreConformance': 'registers vitest tests',
  '@forge1/metering/testing.runSinkConformance': 'registers vitest tests',
};
// `readUntrusted` returns a snapshot of what it is given: NaN in, NaN out, by its contract.
const returnsItsInput = new Set(['@forge1/core.readUntrusted']);

const entries = packageEntries();
const workDir = mkdtempSync(join(tmpdir(), 'forge1-api-contract-'));
const startDir = process.cwd();

beforeAll(() => {
  // Factories that default to a file in the working directory write into a temporary one.
  process.chdir(workDir);
  trackRejections();
});
afterAll(() => {
  untrackRejections();
  process.chdir(startDir);
  rmSync(workDir, { recursive: true, force: true });
});

async function exportedFunctions(entry: string): Promise<Array<[string, (...args: unknown[]) => unknown]>> {
  const module = (await import(entry)) as Record<string, unknown>;
  return Object.entries(module)
    .filter(
      ([name, value]) => typeof value === 'function' && !isClass(value) && !(`${entry}.${name}` in allowed),
    )
    .sort(([a], [b]) => a.localeCompare(b)) as Array<[string, (...args: unknown[]) => unknown]>;
}

// `sleep` waits as long as it is told: it is given only values that end at once.
const argumentsFor = (name: string, args: unknown[]): unknown[] =>
  name === 'sleep' ? args.map((value) => (typeof value === 'number' && value > 10 ? 0 : value)) : args;

describe.each(entries)('%s', (entry) => {
  it('every exported function refuses hostile values in each argument position with a Forge1Error', async () => {
    const problems: string[] = [];
    for (const [name, fn] of await exportedFunctions(entry)) {
      const positions = Math.min(Math.max(fn.length, 1), 3);
      for (const [label, value] of contractValues) {
        const calls: unknown[][] = [[value], Array.from({ length: positions }, () => value)];
        for (let position = 1; position < positions; position++) {
          const args: unknown[] = new Array(positions).fill(undefined);
          args[position] = value;
          calls.push(args);
        }
        for (const args of calls) {
          const problem = await probe(() => fn(...argumentsFor(name, args)), {
            nanAllowed: returnsItsInput.has(`${entry}.${name}`),
          });
          if (problem) {
            problems.push(
              `${name}(${args.length === 1 ? label : `${label} at ${args.indexOf(value)}`}): ${problem}`,
            );
            break;
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every exported function keeps the contract on fuzzed argument lists', async () => {
    const problems: string[] = [];
    for (const [name, fn] of await exportedFunctions(entry)) {
      await fc
        .assert(
          fc.asyncProperty(fc.array(anything, { maxLength: 3 }), async (args) => {
            const problem = await probe(() => fn(...argumentsFor(name, args)), {
              nanAllowed: returnsItsInput.has(`${entry}.${name}`),
            });
            if (problem) problems.push(`${name}: ${problem}`);
            return problem === undefined;
          }),
          { numRuns: 15, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(problems).toEqual([]);
  });
});
