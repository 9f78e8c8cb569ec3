// Packaging checks for every package: publint, attw (esm-only profile), and a consumer
// project outside the workspace that installs the packed tarballs, then imports them,
// requires them (Node ≥ 22.12 loads ESM through require) and typechecks against them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name));
let failures = 0;

for (const dir of packages) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ] as const) {
    try {
      run(bin(tool), [...args], dir);
      console.log(`ok    ${tool} ${name}`);
    } catch (error) {
      failures++;
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      console.error(`FAIL  ${tool} ${name}\n${stdout ?? ''}${stderr ?? ''}`);
    }
  }
}

// Every entry point of every package, from its exports map: the consumer imports, requires and
// typechecks all of them, so a type that leaks from a module the consumer never uses still shows.
const entryPoints = packages.flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.keys(manifest.exports)
    .filter((path) => path !== './package.json')
    .map((path) => (path === '.' ? manifest.name : `${manifest.name}/${path.slice(2)}`));
});
// The optional peers (official SDKs, pg, ioredis…): a user who imports those entry points installs them.
const peers = packages.flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
  return Object.entries(manifest.peerDependencies ?? {}).map(([name, range]) => `${name}@${range}`);
});
// TypeScript versions a consumer may compile with: the one this repo uses, and 7 (what
// `npm install typescript` gives today).
const compilers = { ts59: 'typescript@5.9', ts7: 'typescript@7' };

const consumer = mkdtempSync(join(tmpdir(), 'forge1-consumer-'));
try {
  const tarballs = packages.map((dir) => {
    const output = run('npm', ['pack', '--silent', '--pack-destination', consumer], dir).trim().split('\n');
    return join(consumer, output.at(-1)!);
  });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...tarballs,
      ...new Set(peers),
      ...Object.entries(compilers).map(([alias, spec]) => `${alias}@npm:${spec}`),
    ],
    consumer,
  );
  writeFileSync(
    join(consumer, 'esm.mjs'),
    "import { createCatalog, Forge1Error } from '@forge1/core';\n" +
      "if (createCatalog().costOf('gpt-4.1', { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 0 }) !== 2000) process.exit(1);\n" +
      "if (typeof Forge1Error.is !== 'function') process.exit(1);\n" +
      `for (const entry of ${JSON.stringify(entryPoints)}) await import(entry);\n` +
      "console.log('esm ok');\n",
  );
  writeFileSync(
    join(consumer, 'cjs.cjs'),
    "const { createCatalog } = require('@forge1/core');\n" +
      "if (typeof createCatalog !== 'function') process.exit(1);\n" +
      `for (const entry of ${JSON.stringify(entryPoints)}) require(entry);\n` +
      "console.log('require ok');\n",
  );
  // One file per package, each compiled on its own, so that a package's declarations are checked without
  // the ambient types another package's dependencies bring in (an SDK that references Node's types).
  const typeFiles = packages.map((dir, packageIndex) => {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
    const own = entryPoints.filter((entry) => entry === name || entry.startsWith(`${name}/`));
    const file = `types-${packageIndex}.ts`;
    writeFileSync(
      join(consumer, file),
      own.map((entry, index) => `import * as entry${index} from '${entry}';\n`).join('') +
        `export const entries = [${own.map((_, index) => `entry${index}`).join(', ')}];\n`,
    );
    return file;
  });
  writeFileSync(
    join(consumer, 'types-core.ts'),
    "import { createCatalog, type ChatRequest, type TenantPolicy } from '@forge1/core';\n" +
      "const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };\n" +
      "const cost: number = createCatalog().costOf('gpt-4.1', { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 });\n" +
      "// @ts-expect-error tier must be one of the known tiers\nconst bad: TenantPolicy['tier'] = 'platinum';\n" +
      'export { request, cost, bad };\n',
  );
  typeFiles.push('types-core.ts');
  // What `tsc --init` writes today, less the options that concern emitting: strict, NodeNext, and no
  // ambient Node types, so a declaration that needs @types/node fails here as it would for a user.
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'esnext',
        types: [],
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        moduleDetection: 'force',
        skipLibCheck: false,
        noEmit: true,
      },
    }),
  );
  console.log(run(process.execPath, ['esm.mjs'], consumer).trim());
  console.log(run(process.execPath, ['cjs.cjs'], consumer).trim());
  for (const [alias, spec] of Object.entries(compilers)) {
    const tsc = join(consumer, 'node_modules', alias, 'bin', 'tsc');
    for (const file of typeFiles) {
      writeFileSync(
        join(consumer, 'tsconfig.file.json'),
        JSON.stringify({ extends: './tsconfig.json', files: [file] }),
      );
      try {
        run(process.execPath, [tsc, '-p', 'tsconfig.file.json'], consumer);
      } catch (error) {
        const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
        failures++;
        console.error(
          `FAIL  ${spec} on ${readFileSync(join(consumer, file), 'utf8').split('\n')[0]}\n${stdout || ''}${stderr || message}`,
        );
      }
    }
    console.log(`types checked with ${spec}`);
  }
} catch (error) {
  failures++;
  const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
  console.error(`FAIL  consumer project\n${stdout ?? ''}${stderr ?? message}`);
} finally {
  rmSync(consumer, { recursive: true, force: true });
}

if (failures) {
  console.error(`\n${failures} packaging check(s) failed`);
  process.exit(1);
}
console.log('\nall packaging checks passed');
