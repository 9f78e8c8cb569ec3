import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** One metric point, flattened: its metric name, attributes and value (a number or a histogram). */
export interface Point {
  name: string;
  unit: string;
  attributes: Record<string, unknown>;
  value: number | { count: number; sum?: number; buckets: { boundaries: number[]; counts: number[] } };
}

/** A real OpenTelemetry SDK pair with in-memory exporters, for tests. */
export function createOtelHarness() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });

  /** Collects now and returns every point of the last collection. */
  async function points(): Promise<Point[]> {
    exporter.reset();
    await reader.forceFlush();
    const batches: ResourceMetrics[] = exporter.getMetrics();
    const last = batches.at(-1);
    if (!last) return [];
    return last.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        metric.dataPoints.map((point) => ({
          name: metric.descriptor.name,
          unit: metric.descriptor.unit,
          attributes: { ...point.attributes },
          value: point.value as Point['value'],
        })),
      ),
    );
  }

  /** The points of one metric. */
  async function metric(name: string): Promise<Point[]> {
    return (await points()).filter((point) => point.name === name);
  }

  return {
    tracerProvider,
    meterProvider,
    spans: () => spans.getFinishedSpans(),
    points,
    metric,
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}
