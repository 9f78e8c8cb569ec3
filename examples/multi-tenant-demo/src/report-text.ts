import type { DemoSummary } from './summary.ts';

const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(micros < 10_000_000 ? 4 : 2)}`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const pad = (text: string | number, width: number) => String(text).padEnd(width);
const padLeft = (text: string | number, width: number) => String(text).padStart(width);

/** The end-of-run report as plain text. */
export function formatReport(summary: DemoSummary): string {
  const lines: string[] = [];
  lines.push(`Ran ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s.`, '');
  lines.push('Tenants');
  lines.push(
    `  ${pad('tenant', 22)}${pad('tier', 14)}${padLeft('requests', 9)}${padLeft('errors', 8)}${padLeft('tokens', 11)}${padLeft('cost', 11)}${padLeft('budget', 9)}${padLeft('cascade', 9)}${padLeft('fallback', 10)}${padLeft('savings', 9)}`,
  );
  for (const t of summary.tenants) {
    lines.push(
      `  ${pad(t.name, 22)}${pad(t.tier, 14)}${padLeft(t.requests, 9)}${padLeft(t.errors, 8)}${padLeft(t.inputTokens + t.outputTokens, 11)}${padLeft(dollars(t.costMicros), 11)}${padLeft(t.budgetUsed === null ? 'n/a' : percent(t.budgetUsed), 9)}${padLeft(percent(t.cascadeRate), 9)}${padLeft(percent(t.fallbackRate), 10)}${padLeft(percent(t.savingsRate), 9)}`,
    );
    const split = Object.entries(t.modelSplit)
      .sort((a, b) => b[1] - a[1])
      .map(([model, count]) => `${model} ${percent(count / Math.max(1, t.served))}`)
      .join(', ');
    lines.push(`    models: ${split || 'none'}`);
    const errors = Object.entries(t.errorCodes).map(([code, count]) => `${code} ${count}`);
    if (errors.length) lines.push(`    errors: ${errors.join(', ')}`);
  }
  const o = summary.overall;
  lines.push(
    '',
    `Overall: cost ${dollars(o.costMicros)} vs ${dollars(o.baselineCostMicros)} always-strongest (savings ${percent(o.savingsRate)}); small-model share ${percent(o.smallModelShare)}; cascade rate ${percent(o.cascadeRate)}; fallback rate ${percent(o.fallbackRate)}.`,
  );
  if (summary.budgetAlerts.length) {
    lines.push(
      `Budget alerts: ${summary.budgetAlerts.map((a) => `${a.tenantId} at ${percent(a.threshold)}`).join(', ')}`,
      "  (in-flight requests hold their expected cost against the budget; what a budget cannot afford is downgraded or refused, as the tenant's policy says)",
    );
  }
  lines.push('', 'Key pool');
  lines.push(
    `  ${pad('key', 22)}${pad('state', 10)}${padLeft('requests', 9)}${padLeft('429s', 6)}${padLeft('mean use', 10)}${padLeft('peak use', 10)}`,
  );
  for (const k of summary.keys) {
    lines.push(
      `  ${pad(k.keyId, 22)}${pad(k.state, 10)}${padLeft(k.requests, 9)}${padLeft(k.rateLimited, 6)}${padLeft(percent(k.meanUtilisation), 10)}${padLeft(percent(k.peakUtilisation), 10)}`,
    );
  }
  lines.push(
    `  Requests the pool queued until a key had headroom (instead of sending them into a 429): ${summary.heldBack}`,
    `  Per provider (served / queued): ${summary.providers.map((p) => `${p.provider} ${p.served} / ${p.queued}`).join(', ')}`,
    `  429s the providers answered: ${summary.providerRateLimits}`,
  );
  const circuits = summary.circuitEvents.map(
    (e) => `${(e.at / 1000).toFixed(1)}s ${e.type} ${e.provider}/${e.model}`,
  );
  lines.push(`  Circuit events: ${circuits.length ? '' : 'none'}`);
  for (const line of circuits.slice(0, 12)) lines.push(`    ${line}`);
  if (circuits.length > 12) lines.push(`    … and ${circuits.length - 12} more`);
  if (summary.showcase) {
    const { image, embedding } = summary.showcase;
    lines.push(
      '',
      'Beside the workload',
      `  image request (${image.tenantId}): ${image.model}, ${image.inputTokens} input tokens with the image, ${image.costMicros} µ$`,
      `  embeddings (${embedding.tenantId}): ${embedding.model}, ${embedding.vectors} vectors of ${embedding.dimensions}, ${embedding.inputTokens} tokens, ${embedding.costMicros} µ$`,
    );
  }
  return lines.join('\n');
}
