import { createHash, timingSafeEqual } from 'node:crypto';
import type { Gateway } from '@forge1/core';
import { type Instrumentation, type InstrumentOptions, instrument } from '@forge1/telemetry';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ServiceErrorCode, serviceError } from './http-error.ts';

/** Options of {@link createMetricsEndpoint}. */
export interface MetricsEndpointOptions {
  /**
   * Bearer token that `GET /metrics` requires. The figures cover every tenant (cost, errors), so
   * serve them only to operators. Without a token the route refuses every scrape, unless `open`.
   */
  token?: string;
  /** Serve `/metrics` without a token (a private network that only Prometheus reaches). @default false */
  open?: boolean;
}

/** The `/metrics` route: an OpenTelemetry meter provider read by the Prometheus exporter. */
export interface MetricsEndpoint {
  /** Where the service's metrics go (the gateway's events, the router's decision latency). */
  readonly meterProvider: MeterProvider;
  /** Records the gateway's events and the pool's, meter's and guard's figures. */
  watch(
    gateway: Pick<Gateway, 'events' | 'catalog'>,
    sources: Pick<InstrumentOptions, 'keyPool' | 'meter' | 'guard' | 'tenants'>,
  ): void;
  /** Answers a scrape in the Prometheus text format. */
  handle(authorization: string | undefined): Promise<Response>;
  /** Stops recording and shuts the meter provider down. Idempotent. */
  close(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Creates the metrics endpoint. The Prometheus exporter is a metric reader whose own HTTP server
 * is not started: each scrape collects through it and serialises with its `PrometheusSerializer`,
 * so `/metrics` is served by the app on the app's port.
 */
export function createMetricsEndpoint(options: MetricsEndpointOptions = {}): MetricsEndpoint {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({
    readers: [exporter],
    resource: resourceFromAttributes({ 'service.name': 'forge1-http-service' }),
  });
  const serializer = new PrometheusSerializer();
  const expected = options.token === undefined ? undefined : digest(`Bearer ${options.token}`);
  let instrumentation: Instrumentation | undefined;
  let closing: Promise<void> | undefined;
  return {
    meterProvider,
    watch(gateway, sources) {
      instrumentation = instrument(gateway, { ...sources, meterProvider });
    },
    async handle(authorization) {
      if (!expected && !options.open) {
        const refused = serviceError(
          403,
          ServiceErrorCode.forbidden,
          'Metrics cover every tenant and are off without a metrics token (metricsToken, or publicMetrics: true on a private network)',
        );
        return Response.json(refused.body, { status: refused.status, headers: refused.headers });
      }
      if (expected && !timingSafeEqual(digest(authorization ?? ''), expected)) {
        const refused = serviceError(401, ServiceErrorCode.unauthorized, 'Send the metrics bearer token', {
          'www-authenticate': 'Bearer',
        });
        return Response.json(refused.body, { status: refused.status, headers: refused.headers });
      }
      const { resourceMetrics } = await exporter.collect();
      return new Response(serializer.serialize(resourceMetrics), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      });
    },
    close() {
      closing ??= (async () => {
        instrumentation?.stop();
        await meterProvider.shutdown();
      })();
      return closing;
    },
  };
}
