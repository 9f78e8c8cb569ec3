import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { TestSummaryReporter } from './scripts/test-summary-reporter.ts';
import { projects } from './vitest.workspace.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import the packages from source: `@forge1/x` → packages/x/src/index.ts,
// `@forge1/x/sub` → packages/x/src/sub/index.ts. Every subpath is a folder with an index.
const sourceAliases = [
  { find: /^@forge1\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@forge1\/([a-z]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
];

// `examples/*` expands to each example folder that exists.
const folders = projects.flatMap((path) => {
  if (!path.endsWith('/*')) return [path];
  const parent = path.slice(0, -2);
  if (!existsSync(`${root}${parent}`)) return [];
  return readdirSync(`${root}${parent}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);
});

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: folders.map((path) => ({
      extends: true,
      test: {
        name: path.replace(/^(packages|examples)\//, '').replace('/', '-'),
        root: `${root}${path}`,
        include: ['*.test.ts', 'src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
    reporters: ['default', new TestSummaryReporter()],
    setupFiles: [`${root}scripts/fast-check-setup.ts`],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
