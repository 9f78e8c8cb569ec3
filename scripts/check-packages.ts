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
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs],
    consumer,
  );
  writeFileSync(
    join(consumer, 'esm.mjs'),
    "import { createCatalog, Forge1Error } from '@forge1/core';\n" +
      "if (createCatalog().costOf('gpt-4.1', { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 0 }) !== 2000) process.exit(1);\n" +
      "if (typeof Forge1Error.is !== 'function') process.exit(1);\n" +
      "for (const name of ['keypool', 'router', 'metering', 'adapters', 'telemetry', 'compliance']) await import('@forge1/' + name);\n" +
      "console.log('esm ok');\n",
  );
  writeFileSync(
    join(consumer, 'cjs.cjs'),
    "const { createCatalog } = require('@forge1/core');\n" +
      "if (typeof createCatalog !== 'function') process.exit(1);\n" +
      "for (const name of ['keypool', 'router', 'metering', 'adapters', 'telemetry', 'compliance']) require('@forge1/' + name);\n" +
      "console.log('require ok');\n",
  );
  writeFileSync(
    join(consumer, 'types.ts'),
    "import { createCatalog, type ChatRequest, type TenantPolicy } from '@forge1/core';\n" +
      "const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };\n" +
      "const cost: number = createCatalog().costOf('gpt-4.1', { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 });\n" +
      "// @ts-expect-error tier must be one of the known tiers\nconst bad: TenantPolicy['tier'] = 'platinum';\n" +
      'export { request, cost, bad };\n',
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ['types.ts'],
    }),
  );
  console.log(run(process.execPath, ['esm.mjs'], consumer).trim());
  console.log(run(process.execPath, ['cjs.cjs'], consumer).trim());
  run(bin('tsc'), ['-p', 'tsconfig.json'], consumer);
  console.log('types ok');
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
