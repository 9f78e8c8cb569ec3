import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { tokensFromEnv } from './demo-tenants.ts';
import { startServer } from './server.ts';

// `npm start`: serves the demo tenants on PORT (default 3000), usage in ./data/usage.db.
const database = process.env.USAGE_DB ?? './data/usage.db';
if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
const apiTokens = tokensFromEnv(process.env);
const trustTenantHeader = process.env.HTTP_SERVICE_TRUST_TENANT_HEADER === '1';
const server = await startServer({
  port: Number(process.env.PORT ?? 3000),
  database,
  apiTokens,
  trustTenantHeader,
  ...(process.env.METRICS_TOKEN ? { metricsToken: process.env.METRICS_TOKEN } : {}),
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
if (apiTokens.length === 0 && !trustTenantHeader) {
  console.warn(
    [
      '',
      '!! No API tokens are configured, so every tenant route answers 401: nobody can act as a tenant.',
      '!! Set HTTP_SERVICE_TOKENS=<token>=<tenant>,… (or sha256:<hash>=<tenant>), then call with',
      "!!   -H 'authorization: Bearer <token>'",
      '!! Behind a gateway that authenticates callers itself, HTTP_SERVICE_TRUST_TENANT_HEADER=1 trusts x-tenant-id.',
      '',
    ].join('\n'),
  );
} else {
  console.log(
    `${apiTokens.length} API token(s) configured${trustTenantHeader ? '; x-tenant-id is trusted' : ''}.`,
  );
  console.log(
    `Try: curl -s ${server.url}/v1/chat -H "authorization: Bearer $TOKEN" -H 'x-user-id: u1' -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":"Hello"}]}'`,
  );
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
