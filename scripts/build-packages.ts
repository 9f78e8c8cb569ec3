// Builds the workspace packages whose sources changed since their last build, quietly.
//   node scripts/build-packages.ts          JavaScript and type declarations (what a release needs)
//   node scripts/build-packages.ts --quick  JavaScript only (what running an example needs): about a second
// A package is up to date when the hash of its sources, package.json and tsup config matches the one
// kept from its last build, and that build had type declarations if they are asked for now.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const run = promisify(execFile);

interface Stamp {
  hash: string;
  declarations: boolean;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.test.ts') ? [] : [path];
  });
}

function sourceHash(dir: string): string {
  const hash = createHash('sha256');
  const inputs = [...files(join(dir, 'src')), join(dir, 'package.json'), join(dir, 'tsup.config.ts')];
  for (const path of inputs.filter((file) => existsSync(file)).sort()) {
    hash.update(relative(dir, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

// Stamps live outside dist/ so that they never ship in a tarball.
const stamps = join(root, 'node_modules', '.cache', 'forge1-build');
const stampPath = (dir: string) => join(stamps, `${relative(root, dir).replaceAll('/', '-')}.json`);

function stampOf(dir: string): Stamp | undefined {
  const path = stampPath(dir);
  if (!existsSync(path) || !existsSync(join(dir, 'dist', 'index.js'))) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] })
  .workspaces;
const packages = workspaces
  .filter((path) => path.startsWith('packages/'))
  .map((path) => join(root, path))
  .filter((dir) => existsSync(join(dir, 'tsup.config.ts')) && statSync(dir).isDirectory());

async function build(dir: string): Promise<'built' | 'fresh'> {
  const hash = sourceHash(dir);
  const stamp = stampOf(dir);
  if (stamp && stamp.hash === hash && (quick || stamp.declarations)) return 'fresh';
  const args = quick ? ['--no-dts', '--silent'] : ['--silent'];
  try {
    await run(join(root, 'node_modules/.bin/tsup'), args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`build of ${relative(root, dir)} failed\n${stdout ?? ''}${stderr ?? ''}`);
  }
  const written: Stamp = { hash, declarations: !quick };
  mkdirSync(stamps, { recursive: true });
  writeFileSync(stampPath(dir), `${JSON.stringify(written)}\n`);
  return 'built';
}

const started = performance.now();
// JavaScript-only builds are independent and run side by side. Declarations of a package read those of
// core from its dist/, and tsup cleans dist/ first, so full builds go one after another, core first.
const results: Array<'built' | 'fresh'> = [];
if (quick) results.push(...(await Promise.all(packages.map(build))));
else for (const dir of packages) results.push(await build(dir));
const built = results.filter((result) => result === 'built').length;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  built === 0
    ? `packages up to date (${packages.length})`
    : `built ${built} of ${packages.length} packages${quick ? ' (JavaScript only)' : ''} in ${seconds} s`,
);
