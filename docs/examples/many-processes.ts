// Examples of docs/guides/running-many-processes.md: one key pool, one set of budgets and one
// usage table shared by every process. Typechecked, not run.
import { hostname } from 'node:os';
import { createEventBus, createGateway, createTenantDirectory, type ProviderAdapterV1 } from '@forge1/core';
import { createKeyPool, type KeyInput } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { createGuard, createMeter, createUsageStore } from '@forge1/metering';
import { createPostgresSink, openPostgresUsageDatabase } from '@forge1/metering/postgres';
import { createRedisCounterStore } from '@forge1/metering/redis';
import { createRouter } from '@forge1/router';
import { Redis } from 'ioredis';
import pg from 'pg';

declare const keys: KeyInput[];
declare const providers: Record<string, ProviderAdapterV1>;
const processCount = 4;

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
const events = createEventBus();

// Key-pool budgets, leases, cooldowns and disabled flags in Redis: one Lua script per acquire.
const store = createRedisStateStore({
  redis,
  prefix: 'forge1:keypool:prod',
  onRedisError: 'local', // keep serving from a local share of each limit while Redis is down
  localShare: 1 / processCount,
  onError: (error) => console.warn('key pool store degraded', error.message),
});
const keyPool = createKeyPool({ keys, store, events });

// Usage records into PostgreSQL; each process journals locally first.
const sink = createPostgresSink({ pool, schema: 'billing' });
const meter = createMeter({
  sinks: [sink],
  journal: `/var/lib/forge1/journal-${hostname()}-${process.pid}`,
  events,
});

// Quota and budget counters in Redis, seeded from PostgreSQL after a restart.
const usage = createUsageStore({ database: openPostgresUsageDatabase({ pool, schema: 'billing' }) });
const guard = createGuard({ counters: createRedisCounterStore({ redis }), usage, events });

const gateway = createGateway({
  tenants: createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise' }] }),
  router: createRouter({ providers: Object.keys(providers), events }),
  keys: keyPool,
  providers,
  meter,
  guard,
  events,
});

// Health: is the key pool's store answering from Redis?
console.log(store.degraded());

// Shutdown: the gateway closes the meter, adapters and key pool; the host closes what it owns.
await gateway.close();
await store.close();
await redis.quit();
await pool.end();
