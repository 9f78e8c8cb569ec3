import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const reportPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const header = `# Benchmarks

Written by \`npm run bench\` (or one benchmark alone: \`node bench/<name>.bench.ts\`). Each section
says when and where it ran. Figures are from one run on a shared machine: compare the ratios
inside a section, not absolute numbers across machines.
`;

/** The machine a benchmark ran on, for its section header. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}, ${memory} GiB`;
}

/**
 * Replaces (or appends) the section `name` of docs/benchmarks.md with `markdown`.
 * Sections are delimited by HTML comments so that each benchmark owns its own.
 */
export function writeSection(name: string, title: string, markdown: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const body = `${start}\n## ${title}\n\n_Ran ${machineLine()}._\n\n${markdown.trim()}\n${end}`;
  const current = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : header;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + body + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${body}\n`;
  writeFileSync(reportPath, next);
}

/** Median and percentiles of a list of numbers. */
export function percentiles(values: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
}

/** Formats a number with a fixed count of significant decimals. */
export const fmt = (value: number, digits = 2): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
