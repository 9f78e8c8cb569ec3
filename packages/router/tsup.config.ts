import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  tsconfig: '../../tsconfig.build.json',
});
