import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import the packages from source: `@forge1/x` → packages/x/src/index.ts,
// `@forge1/x/sub` → packages/x/src/sub/index.ts. Every subpath is a folder with an index.
const sourceAliases = [
  { find: /^@forge1\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@forge1\/([a-z]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
];

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: projects.map((path) => ({
      extends: true,
      test: { root: `${root}${path}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
    })),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
