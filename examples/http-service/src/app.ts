import type { ResilienceOptions } from '@forge1/adapters';
import type { ProviderEmulator } from '@forge1/adapters/emulator';
import {
  billingPeriod,
  type Clock,
  createEventBus,
  createGateway,
  createTenantDirectory,
  type EventBus,
  type Gateway,
  systemClock,
  type TenantDirectory,
  type TenantPolicyInput,
} from '@forge1/core';
import { createKeyPool, type KeyPool } from '@forge1/keypool';
import {
  createGuard,
  createMeter,
  createSqliteSink,
  createUsageStore,
  type InvoiceOptions,
  type Meter,
  type MeterOptions,
  type UsageStore,
} from '@forge1/metering';
import { createRouter, type Router, type RouterOptions } from '@forge1/router';
import { instrumentRouter, telemetryMiddleware } from '@forge1/telemetry';
import { Hono } from 'hono';
import { type CallerOptions, createCallerResolver, isHttpError } from './caller.ts';
import { type CallerLimitOptions, createCallerLimits } from './caller-limits.ts';
import { chatHandler } from './chat-route.ts';
import { demoTenants } from './demo-tenants.ts';
import { embedHandler } from './embed-route.ts';
import { type HttpError, ServiceErrorCode, sendError, serviceError, toHttpError } from './http-error.ts';
import { createMetricsEndpoint } from './metrics-route.ts';
import { cacheTenants } from './tenant-cache.ts';
import { createTokenRegistry, type TokenRegistry } from './tokens.ts';
import { createUpstream, type ProviderSetup, type UpstreamMode } from './upstream.ts';
import { parsePeriod, parseUsageQuery } from './usage-query.ts';

/** Options of {@link createApp}. */
export interface AppOptions extends CallerOptions {
  /** Tenants to serve. @default demoTenants (one per tier) */
  tenants?: TenantPolicyInput[];
  /** Upstream providers and keys. @default real keys from `env`, else a provider emulator */
  providers?: ProviderSetup[];
  /** Where real keys are read from when `providers` is absent. @default process.env */
  env?: Record<string, string | undefined>;
  /** Retries and breakers of every adapter. @default withResilience's defaults */
  resilience?: Omit<ResilienceOptions, 'events'>;
  /** Router settings (`providers` is set from the configured upstreams). */
  routing?: Omit<RouterOptions, 'providers' | 'events'>;
  /** Longest wait for a free key before 503. @default 30000 */
  maxKeyWaitMs?: number;
  /** SQLite file of usage records, or `':memory:'`. @default ':memory:' */
  database?: string;
  /** The meter's journal. @default `${database}.journal` for a file, none (memory) for `':memory:'` */
  journal?: MeterOptions['journal'];
  /**
   * Records per sink write and the longest wait for a batch. SQLite writes run on the event loop:
   * small, frequent batches keep each pause short. @default 100 records, 250 ms
   */
  batching?: Pick<MeterOptions, 'batchSize' | 'flushIntervalMs'>;
  /** Markup and plan of invoices. @default no markup, no plan */
  invoice?: InvoiceOptions;
  /** Largest request body. @default 1 MiB */
  maxBodyBytes?: number;
  /** Longest time a client may take to send its body before 408. @default 10000 */
  bodyTimeoutMs?: number;
  /** Request rate and concurrent streams per caller. @default 600 a minute, 4 streams */
  callerLimits?: Omit<CallerLimitOptions, 'clock'>;
  clock?: Clock;
  events?: EventBus;
  /** Bearer token required by `GET /metrics` (every tenant's figures). @default none: the route refuses */
  metricsToken?: string;
  /** Serve `/metrics` without a token, for a private network that only Prometheus reaches. @default false */
  publicMetrics?: boolean;
}

/** The wired service: the Hono app and the Forge1 parts behind it. */
export interface HttpService {
  app: Hono;
  gateway: Gateway;
  tenants: TenantDirectory;
  router: Router;
  keys: KeyPool;
  meter: Meter;
  usage: UsageStore;
  events: EventBus;
  /** The bearer tokens: rotate or revoke them while the service runs. */
  tokens: TokenRegistry;
  /** Where calls go: `emulator`, `real` (keys from the environment) or `configured`. */
  mode: UpstreamMode;
  /** The provider emulator, when no real keys were configured. */
  emulator?: ProviderEmulator;
  /** Flushes usage, closes the gateway (meter, adapters, pool), then the emulator. Idempotent. */
  close(): Promise<void>;
}

/**
 * Wires a Forge1 gateway (tenant directory, router, key pool, resilient adapters, guard,
 * SQLite-backed meter and usage store) behind a Hono app with `POST /v1/chat`,
 * `GET /v1/tenants/:id/usage` and `GET /v1/tenants/:id/invoice`.
 * @throws ValidationError on bad tenants, tokens, providers or options.
 * @example
 * ```ts
 * const service = await createApp({ database: './data/usage.db' });
 * serve({ fetch: service.app.fetch, port: 3000 });
 * ```
 */
export async function createApp(options: AppOptions = {}): Promise<HttpService> {
  const clock = options.clock ?? systemClock;
  const events = options.events ?? createEventBus();
  const tokens = options.tokens ?? createTokenRegistry(options.apiTokens ?? [], clock);
  const resolveCaller = createCallerResolver({ ...options, tokens });
  const limits = createCallerLimits({ ...options.callerLimits, clock });
  const tenants = cacheTenants(createTenantDirectory({ tenants: options.tenants ?? demoTenants }));
  await tenants.list();
  const upstream = await createUpstream({
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.resilience ? { resilience: options.resilience } : {}),
    events,
  });
  // What is open so far, closed in reverse order if a later part fails to start.
  const opened: Array<() => Promise<unknown>> = [() => upstream.close()];
  const start = async <T>(build: () => Promise<T> | T): Promise<T> => {
    try {
      return await build();
    } catch (error) {
      for (const close of opened.reverse()) await close().catch(() => undefined);
      throw error;
    }
  };
  const keys = await start(async () => {
    const pool = createKeyPool({
      keys: upstream.keys,
      events,
      clock,
      providers: Object.keys(upstream.providers),
      ...(options.maxKeyWaitMs === undefined ? {} : { maxWaitMs: options.maxKeyWaitMs }),
    });
    opened.push(() => pool.close());
    await pool.ready();
    return pool;
  });
  const router = await start(() =>
    createRouter({ ...options.routing, providers: Object.keys(upstream.providers) }),
  );
  const database = options.database ?? ':memory:';
  const sink = await start(() => createSqliteSink({ path: database }));
  opened.push(() => sink.close());
  const meter = await start(async () => {
    const created = createMeter({
      sinks: [sink],
      journal: options.journal ?? (database === ':memory:' ? false : `${database}.journal`),
      events,
      clock,
      batchSize: options.batching?.batchSize ?? 100,
      flushIntervalMs: options.batching?.flushIntervalMs ?? 250,
    });
    await created.ready();
    return created;
  });
  const usage = createUsageStore({ database: sink.database });
  const guard = createGuard({ usage, events, clock });
  const metrics = createMetricsEndpoint(
    options.metricsToken === undefined
      ? { open: options.publicMetrics === true }
      : { token: options.metricsToken },
  );
  const gateway = createGateway({
    tenants,
    router: instrumentRouter(router, { meterProvider: metrics.meterProvider }),
    // Spans go to the global tracer provider: none (no-op) unless the host registers an SDK.
    middleware: [telemetryMiddleware()],
    keys,
    providers: upstream.providers,
    meter,
    guard,
    events,
    clock,
  });
  metrics.watch(gateway, { keyPool: keys, meter, guard, tenants });

  const secrets = upstream.secrets;
  const app = new Hono();
  const fail = (error: unknown, requestId?: string) =>
    sendError(toHttpError(error, { secrets, now: clock.now(), ...(requestId ? { requestId } : {}) }));

  app.onError((error) => fail(error));
  app.notFound(() => sendError(serviceError(404, ServiceErrorCode.notFound, 'No such route')));
  app.get('/healthz', (c) => c.json({ ok: true, mode: upstream.mode }));
  app.get('/metrics', (c) => metrics.handle(c.req.header('authorization')));

  const bodyLimits = {
    maxBytes: options.maxBodyBytes ?? 1024 * 1024,
    timeoutMs: options.bodyTimeoutMs ?? 10_000,
  };
  app.post('/v1/embeddings', embedHandler({ gateway, resolveCaller, fail, body: bodyLimits, limits }));
  app.post(
    '/v1/chat',
    chatHandler({
      gateway,
      resolveCaller,
      fail,
      body: bodyLimits,
      limits,
    }),
  );

  /** The caller, who must be the tenant of the path, and whose tenant must exist. */
  const tenantScoped = async (
    header: (name: string) => string | undefined,
    tenantId: string,
  ): Promise<HttpError | undefined> => {
    const caller = resolveCaller(header);
    if (isHttpError(caller)) return caller;
    const limited = limits.admit(caller);
    if (limited) return limited;
    // Ids are compared exactly as decoded from the path: no case folding or normalisation, so a
    // look-alike or an encoded slash names another (unknown) tenant, never the caller's.
    if (caller.tenantId !== tenantId) {
      return serviceError(403, ServiceErrorCode.forbidden, 'A tenant may read only its own usage');
    }
    await tenants.resolve(tenantId);
    // Reads see every request answered before them.
    await meter.flush();
    return undefined;
  };

  app.get('/v1/tenants/:id/usage', async (c) => {
    const tenantId = c.req.param('id');
    const refused = await tenantScoped((name) => c.req.header(name), tenantId);
    if (refused) return sendError(refused);
    const query = parseUsageQuery((name) => c.req.query(name), clock.now());
    const totals = await usage.totals(tenantId, query.range);
    const groups: Record<string, unknown> = {};
    for (const dimension of query.groupBy)
      groups[dimension] = await usage.usageBy(tenantId, dimension, query.range);
    return c.json({ tenantId, range: query.range ?? null, totals, groups });
  });

  app.get('/v1/tenants/:id/invoice', async (c) => {
    const tenantId = c.req.param('id');
    const refused = await tenantScoped((name) => c.req.header(name), tenantId);
    if (refused) return sendError(refused);
    const period = parsePeriod(c.req.query('period'), billingPeriod(clock.now()));
    return c.json(await usage.invoicePreview(tenantId, period, options.invoice));
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      try {
        await gateway.close();
      } finally {
        await metrics.close();
        await upstream.close();
      }
    })();
    return closing;
  };

  return {
    app,
    gateway,
    tenants,
    router,
    keys,
    meter,
    usage,
    events,
    tokens,
    mode: upstream.mode,
    ...(upstream.emulator ? { emulator: upstream.emulator } : {}),
    close,
  };
}
