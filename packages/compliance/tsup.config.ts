import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'postgres/index': 'src/postgres/index.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  tsconfig: '../../tsconfig.build.json',
  // node:sqlite exists only with its prefix.
  removeNodeProtocol: false,
});
