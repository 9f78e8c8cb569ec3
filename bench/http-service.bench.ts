// examples/http-service under load: autocannon, 50 connections on 127.0.0.1, bounded in time,
// against a minimal local OpenAI-compatible server hit directly and through the service, in
// the same run. Run after `npm run build`: node bench/http-service.bench.ts
import { measureThroughput } from '../examples/http-service/src/throughput.ts';
import { fmt, writeSection } from './report.ts';

const seconds = Number(process.env.LOAD_SECONDS ?? 10);
const { direct, service, ratio } = await measureThroughput(seconds);

const row = (name: string, figures: typeof direct) =>
  `| ${name} | ${fmt(figures.requestsPerSecond, 0)} | ${fmt(figures.p50Ms, 1)} | ${fmt(figures.p99Ms, 1)} | ${figures.non2xx + figures.errors} |`;

writeSection(
  'http-service',
  'HTTP service under load',
  `autocannon, 50 connections, ${seconds} s each, 127.0.0.1. The upstream is a minimal local OpenAI-compatible
server (its own process). "Through the service" is examples/http-service: Hono, createGateway with the router,
key pool, resilient OpenAI adapter (the official SDK), guard and a meter into SQLite in memory without a journal
(the example's default for \`:memory:\`). Three processes (autocannon, the upstream, the service) share the 2 cores.

| path | requests/s | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|
${row('direct to the minimal server', direct)}
${row('through the service', service)}

Through the service: **${fmt(ratio * 100, 1)} %** of direct throughput (target ≥ 15 %), p99 ${fmt(service.p99Ms, 1)} ms
(target < 40 ms).`,
);
console.log(`service/direct ${fmt(ratio * 100, 1)} %, service p99 ${fmt(service.p99Ms, 1)} ms`);
