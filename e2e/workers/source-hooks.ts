// Loaded with `node --import ./e2e/workers/source-hooks.ts`: lets a worker process run the
// packages from their TypeScript sources, as vitest does, instead of their built dist/.
// `@forge1/x` → packages/x/src/index.ts, `@forge1/x/sub` → packages/x/src/sub/index.ts, and a
// relative `./file.js` inside a package source resolves to `./file.ts`. Node 24 strips the types.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageSpecifier = /^@forge1\/([a-z]+)(?:\/([a-z-]+))?$/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const match = packageSpecifier.exec(specifier);
    if (match) {
      const [, name, sub] = match;
      const file = `${root}packages/${name}/src/${sub ? `${sub}/` : ''}index.ts`;
      return { url: pathToFileURL(file).href, shortCircuit: true };
    }
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const candidate = new URL(specifier, context.parentURL);
      const typescript = new URL(candidate.href.replace(/\.js$/, '.ts'));
      if (!existsSync(candidate) && existsSync(typescript)) {
        return { url: typescript.href, shortCircuit: true };
      }
    }
    return nextResolve(specifier, context);
  },
});
