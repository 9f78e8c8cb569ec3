import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { tokensFromEnv } from './demo-tenants.ts';
import { startServer } from './server.ts';

// `npm start`: serves the demo tenants on PORT (default 3000), usage in ./data/usage.db.
const database = process.env.USAGE_DB ?? './data/usage.db';
if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
const server = await startServer({
  port: Number(process.env.PORT ?? 3000),
  database,
  apiTokens: tokensFromEnv(process.env),
});
const providers = server.service.keys
  .stats()
  .providers.map((entry) => entry.provider)
  .join(', ');
console.log(
  server.service.mode === 'emulator'
    ? `No provider key in the environment: calls go to the built-in provider emulator (${providers}).`
    : `Calling the real providers with keys from the environment: ${providers}.`,
);
console.log(`Forge1 HTTP service on ${server.url}, usage in ${database}`);
console.log(
  `Try: curl -s ${server.url}/v1/chat -H 'x-tenant-id: pixel-labs' -H 'x-user-id: u1' -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":"Hello"}]}'`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
