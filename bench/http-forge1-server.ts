import { startServer } from '../examples/http-service/src/server.ts';
import { serveBenchCommands } from './server-commands.ts';

// examples/http-service as bench/http-service.bench.ts runs it, in its own process: trusted
// x-tenant-id (the load generator stands for an authenticating gateway), one key with room, a
// tenant and caller limits that cover the run, cascade off so that a request is one upstream call.
// Usage: node bench/http-forge1-server.ts <upstream base URL>; prints its URL on the first line.
// Lines on stdin read its CPU time and drive the profiler (bench/server-commands.ts).

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: node bench/http-forge1-server.ts <upstream base URL>');
const server = await startServer({
  port: 0,
  trustTenantHeader: true,
  providers: [
    {
      provider: 'openai',
      baseURL: upstream,
      keys: [{ id: 'bench', secret: 'sk-bench-local-0000000000', rpm: 100_000_000, tpm: 10_000_000_000 }],
    },
  ],
  tenants: [{ id: 'bench', tier: 'enterprise', limits: { dailyRequests: 1_000_000_000 } }],
  callerLimits: { requestsPerMinute: 1_000_000_000 },
  routing: { cascade: { enabled: false } },
});
console.log(server.url);

serveBenchCommands();
process.on('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
