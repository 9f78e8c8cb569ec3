import { chartScript } from './report-charts.ts';
import type { DemoSummary, TenantSummary } from './summary.ts';

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const dollars = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

function tenantRow(t: TenantSummary): string {
  const cells = [
    escapeHtml(t.name),
    t.tier,
    t.requests,
    t.served,
    t.errors,
    t.inputTokens + t.outputTokens,
    dollars(t.costMicros),
    t.budgetUsed === null ? 'n/a' : percent(t.budgetUsed),
    percent(t.cascadeRate),
    percent(t.fallbackRate),
    percent(t.savingsRate),
  ];
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

// What went wrong or needed attention, per tenant: refusals and failures by code, budget alerts.
function incidentRows(summary: DemoSummary): string {
  return summary.tenants
    .map((t) => {
      const errors = Object.entries(t.errorCodes)
        .sort((a, b) => b[1] - a[1])
        .map(
          ([code, count]) =>
            `<span class="error-code" data-code="${escapeHtml(code)}">${escapeHtml(code)} × ${count}</span>`,
        )
        .join(' ');
      const alerts = summary.budgetAlerts
        .filter((alert) => alert.tenantId === t.id)
        .map(
          (alert) =>
            `<span class="alert">${percent(alert.threshold)} at ${(alert.at / 1000).toFixed(1)} s</span>`,
        )
        .join(' ');
      return `<tr data-tenant="${escapeHtml(t.id)}"><td>${escapeHtml(t.name)}</td><td>${errors || 'none'}</td><td>${alerts || 'none'}</td></tr>`;
    })
    .join('\n');
}

// The image request and the embeddings request sent beside the chat workload.
function showcaseTable(summary: DemoSummary): string {
  if (!summary.showcase) return '';
  const { image, embedding } = summary.showcase;
  return `<section><h2>Beside the workload: an image and an embeddings request</h2>
<table id="showcase"><thead><tr><th>request</th><th>tenant</th><th>model</th><th>input tokens</th><th>what came back</th><th>cost</th></tr></thead>
<tbody>
<tr data-kind="image"><td>chat with an image</td><td>${escapeHtml(image.tenantId)}</td><td>${escapeHtml(image.model)}</td><td>${image.inputTokens}</td><td>${image.outputTokens} output tokens</td><td>${image.costMicros} µ$</td></tr>
<tr data-kind="embedding"><td>embeddings</td><td>${escapeHtml(embedding.tenantId)}</td><td>${escapeHtml(embedding.model)}</td><td>${embedding.inputTokens}</td><td>${embedding.vectors} vectors of ${embedding.dimensions}</td><td>${embedding.costMicros} µ$</td></tr>
</tbody></table></section>`;
}

function card(label: string, value: string): string {
  return `<div class="card"><div class="value">${value}</div><div class="label">${label}</div></div>`;
}

/**
 * A self-contained HTML report: headline figures, the tenant table, errors and budget alerts per
 * tenant, and four charts (cost over time with the outage shaded, model split, key utilisation,
 * circuit states over time).
 */
export function renderHtmlReport(summary: DemoSummary): string {
  const json = JSON.stringify(summary).replace(/</g, '\\u003c');
  const failed = summary.tenants.reduce((sum, t) => sum + t.errors, 0);
  const cards = [
    card('requests', String(summary.requests)),
    card('failed or refused', String(failed)),
    card('seconds', (summary.durationMs / 1000).toFixed(1)),
    card('cost', dollars(summary.overall.costMicros)),
    card('saved vs strongest model', percent(summary.overall.savingsRate)),
    card('answered by small models', percent(summary.overall.smallModelShare)),
    card('429s from providers', String(summary.providerRateLimits)),
    card('queued for key headroom', String(summary.heldBack)),
  ].join('');
  const outage = summary.outage
    ? `${escapeHtml(summary.outage.provider)} failed with 503s from ${(summary.outage.fromMs / 1000).toFixed(1)} s to ${(summary.outage.toMs / 1000).toFixed(1)} s (shaded red in the time charts).`
    : 'No outage was injected.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Forge1 multi-tenant demo report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1320px; padding: 0 1rem; color: #0f172a; }
h1 { margin: 0 0 .5rem; } h2 { font-size: 1rem; margin: 0 0 .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: .5rem; margin: 1rem 0; }
.card { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; padding: .5rem .75rem; }
.card .value { font-size: 1.3rem; font-weight: 600; } .card .label { color: #475569; font-size: .8rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
#incidents td, #incidents th { text-align: left; }
.error-code, .alert { display: inline-block; background: #fee2e2; border-radius: 4px; padding: 0 6px; margin: 1px; }
.alert { background: #fef3c7; }
section { margin: 0 0 1rem; }
</style>
</head>
<body>
<h1>Forge1 multi-tenant demo</h1>
<p>${outage}</p>
<div class="cards">${cards}</div>
<table id="tenants">
<thead><tr><th>tenant</th><th>tier</th><th>requests</th><th>answered</th><th>failed</th><th>tokens</th><th>cost</th><th>budget used</th><th>cascade</th><th>fallback</th><th>savings</th></tr></thead>
<tbody>
${summary.tenants.map(tenantRow).join('\n')}
</tbody>
</table>
<table id="providers">
<thead><tr><th>provider</th><th>keys</th><th>answered</th><th>queued for headroom</th></tr></thead>
<tbody>
${summary.providers.map((p) => `<tr data-provider="${escapeHtml(p.provider)}"><td>${escapeHtml(p.provider)}</td><td>${p.keys}</td><td>${p.served}</td><td>${p.queued}</td></tr>`).join('\n')}
</tbody>
</table>
<div class="grid">
<section><h2>Cost per tenant over time (cumulative)</h2><div id="cost-chart"></div></section>
<section><h2>Circuit breakers over time</h2><div id="circuit-chart"></div></section>
<section><h2>Model split per tenant</h2><div id="model-chart"></div></section>
<section><h2>Key utilisation</h2><div id="key-chart"></div></section>
</div>
${showcaseTable(summary)}
<section><h2>Errors and budget alerts per tenant</h2>
<table id="incidents"><thead><tr><th>tenant</th><th>errors by code</th><th>budget alerts</th></tr></thead>
<tbody>
${incidentRows(summary)}
</tbody></table></section>
<script type="application/json" id="data">${json}</script>
<script>${chartScript}</script>
</body>
</html>
`;
}
