// Cost of PII and secret redaction per KB of text: every built-in detector on, tokenize, on
// prose with a few values, prose without any, and a dense log. Run after
// `npm run build -w @forge1/compliance`: node bench/redaction.bench.ts
import { performance } from 'node:perf_hooks';
import {
  builtInDetector,
  builtInDetectorNames,
  createScanner,
  createVault,
  type RedactionMode,
  redactRequest,
} from '@forge1/compliance';
import type { ChatRequest } from '@forge1/core';
import { fmt, percentiles, writeSection } from './report.ts';

const scanner = createScanner(builtInDetectorNames.map(builtInDetector));
const modes = new Map<string, RedactionMode>(builtInDetectorNames.map((name) => [name, 'tokenize']));

const prose =
  'Hello, I am writing about my last invoice because the amount charged does not match what the ' +
  'sales team quoted in the meeting. Could you check what happened and tell me what the next ' +
  'steps are? We have been customers for three years and would like to keep it that way. ';
const values = [
  'Reach me at jane.doe@example.com or on +44 20 7946 0958.',
  'The card used was 4111 1111 1111 1111, the refund should go to DE89 3704 0044 0532 0130 00.',
  'Our server 10.20.30.40 logged the error; the API key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs7t was rotated.',
];
const build = (size: number, every: number) => {
  let text = '';
  for (let i = 0; text.length < size; i++)
    text += i % every === every - 1 ? `${values[i % values.length]} ` : prose;
  return text.slice(0, size);
};
const log = Array.from(
  { length: 60 },
  (_, i) =>
    `2026-03-11T14:02:${String(i % 60).padStart(2, '0')}Z GET /api/v2/orders/${9000 + i} from 192.168.${i % 255}.${(i * 7) % 255} user=u${i}@corp.example.com status=200`,
)
  .join('\n')
  .slice(0, 4096);

const cases: Array<[string, string]> = [
  ['prose, a value every ~600 characters', build(4096, 3)],
  ['prose, no values', build(4096, 1_000_000)],
  ['dense log (an IP and an e-mail per line)', log],
];

const request = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });

/** µs of CPU per KB for one batch of redactions (CPU time: the machine is shared). */
function batch(text: string, rounds: number): { cpu: number; wall: number } {
  const kb = text.length / 1024;
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  for (let i = 0; i < rounds; i++) redactRequest(request(text), scanner, modes, createVault());
  const cpu = process.cpuUsage(startCpu);
  const wall = performance.now() - startWall;
  return { cpu: (cpu.user + cpu.system) / rounds / kb, wall: (wall * 1000) / rounds / kb };
}

const rows: string[] = [];
for (const [name, text] of cases) {
  batch(text, 2000);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < 40; i++) {
    const sample = batch(text, 200);
    cpu.push(sample.cpu);
    wall.push(sample.wall);
  }
  const found = scanner.scan(text).length;
  const c = percentiles(cpu);
  const w = percentiles(wall);
  rows.push(
    `| ${name} | ${fmt(text.length / 1024, 1)} | ${found} | ${fmt(c.p50)} | ${fmt(c.p95)} | ${fmt(w.p50)} |`,
  );
  console.log(`${name}: ${fmt(c.p50)} µs CPU per KB (median), ${found} values`);
}

writeSection(
  'redaction',
  'Compliance: redaction per KB',
  `Every built-in detector on, action \`tokenize\` (scan, replace, placeholder vault), one
request of one message. Median and p95 over 40 batches of 200 redactions, in µs of CPU time per
KB (\`process.cpuUsage\`, so that other processes on a shared machine do not count); wall time
for comparison. Target: ≤ 15 µs per KB, median.

| text | KB | values found | µs CPU / KB p50 | p95 | µs wall / KB p50 |
|---|---|---|---|---|---|
${rows.join('\n')}
`,
);
