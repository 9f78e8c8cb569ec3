import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './demo.ts';
import { renderHtmlReport } from './report-html.ts';
import { formatReport } from './report-text.ts';
import { summarise } from './summary.ts';
import { verifyAgainstStore } from './verify.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '48' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: '.forge1/demo' },
    real: { type: 'boolean', default: false },
  },
});

const real = values.real
  ? {
      ...(process.env.OPENAI_API_KEY ? { openai: process.env.OPENAI_API_KEY } : {}),
      ...(process.env.ANTHROPIC_API_KEY ? { anthropic: process.env.ANTHROPIC_API_KEY } : {}),
      ...(process.env.GEMINI_API_KEY ? { google: process.env.GEMINI_API_KEY } : {}),
    }
  : undefined;
const dataDir = resolve(values.out);

console.log('Forge1 multi-tenant demo');
console.log(
  real
    ? 'Mode: REAL providers with the API keys from the environment (this costs money).'
    : 'Mode: provider emulator on 127.0.0.1 (no API keys, no network). Pass --real to use OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY.',
);
console.log(
  `Tenants: Northwind Bank (enterprise, finance), MedIQ Clinics (professional, healthcare), PixelPush (standard, tech).`,
);
console.log(`Workload: ${values.requests} requests; Anthropic fails with 503s from 25% to 55% of the run.\n`);

const { stack, observed } = await runDemo({
  requests: Number(values.requests),
  concurrency: Number(values.concurrency),
  seed: Number(values.seed),
  dataDir,
  windowMs: 10_000,
  outage: [0.25, 0.55],
  showProgress: true,
  ...(real ? { real } : {}),
});

const summary = await summarise(stack, observed);
console.log(`\n${formatReport(summary)}\n`);
const check = await verifyAgainstStore(summary, stack.usage);
const reportPath = join(dataDir, 'report.html');
writeFileSync(reportPath, renderHtmlReport(summary));
await stack.close();

if (check.mismatches.length) {
  console.error('CHECK FAILED: the report differs from the SQLite usage store:');
  for (const m of check.mismatches)
    console.error(`  ${m.tenant} ${m.field}: report ${m.report}, stored ${m.stored}`);
  process.exitCode = 1;
} else {
  console.log(
    `Checked: every figure above matches the SQLite usage store (${check.records} records, each stored once).`,
  );
}
console.log(`Usage database: ${relative(process.cwd(), join(dataDir, 'usage.db'))}`);
console.log(`HTML report:    ${relative(process.cwd(), reportPath)}`);
