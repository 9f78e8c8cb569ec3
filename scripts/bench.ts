// Runs every benchmark in bench/ one after another (each writes its own section of
// docs/benchmarks.md). Build first: `npm run bench` does.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n== bench/${file}`);
  try {
    execFileSync(process.execPath, [join('bench', file)], {
      cwd: root,
      stdio: 'inherit',
      timeout: 15 * 60_000,
    });
  } catch {
    failed++;
    console.error(`bench/${file} failed`);
  }
}
console.log(
  `\n${benches.length - failed} of ${benches.length} benchmarks ran; results in docs/benchmarks.md`,
);
process.exit(failed ? 1 : 0);
