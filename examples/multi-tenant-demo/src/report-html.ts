import type { DemoSummary } from './summary.ts';

// The page draws its charts itself (SVG, no library, nothing fetched): the data sits in a
// JSON script element, escaped so that no value can close it.
const chartScript = `
const data = JSON.parse(document.getElementById('data').textContent);
const NS = 'http://www.w3.org/2000/svg';
const palette = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#4b5563', '#db2777', '#65a30d'];
function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}
function svg(id, width, height) {
  const root = el('svg', { viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img' });
  document.getElementById(id).appendChild(root);
  return root;
}
function text(parent, x, y, content, attrs) {
  const t = el('text', Object.assign({ x, y, 'font-size': 11, fill: '#334155' }, attrs || {}), parent);
  t.textContent = content;
  return t;
}
function costChart() {
  const root = svg('cost-chart', 640, 260);
  const series = Object.entries(data.costTimeline);
  const length = Math.max(1, ...series.map(([, v]) => v.length));
  const max = Math.max(1, ...series.map(([, v]) => v[v.length - 1] || 0));
  const x = (i) => 50 + (i / Math.max(1, length - 1)) * 560;
  const y = (v) => 220 - (v / max) * 190;
  el('line', { x1: 50, y1: 220, x2: 610, y2: 220, stroke: '#94a3b8' }, root);
  el('line', { x1: 50, y1: 30, x2: 50, y2: 220, stroke: '#94a3b8' }, root);
  text(root, 50, 240, '0 s');
  text(root, 590, 240, (length - 1) + ' s');
  text(root, 4, 34, '$' + (max / 1e6).toFixed(4));
  series.forEach(([tenant, values], index) => {
    const d = values.map((v, i) => (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1)).join(' ');
    el('path', { d, fill: 'none', stroke: palette[index % palette.length], 'stroke-width': 2, 'data-series': tenant }, root);
    el('rect', { x: 70 + index * 180, y: 8, width: 10, height: 10, fill: palette[index % palette.length] }, root);
    text(root, 84 + index * 180, 17, tenant);
  });
}
function modelChart() {
  const root = svg('model-chart', 640, 40 + data.tenants.length * 46);
  const models = [...new Set(data.tenants.flatMap((t) => Object.keys(t.modelSplit)))].sort();
  data.tenants.forEach((tenant, row) => {
    const total = Math.max(1, Object.values(tenant.modelSplit).reduce((a, b) => a + b, 0));
    let offset = 150;
    text(root, 4, 30 + row * 46, tenant.name);
    models.forEach((model, index) => {
      const width = ((tenant.modelSplit[model] || 0) / total) * 470;
      if (width <= 0) return;
      const bar = el('rect', { x: offset, y: 16 + row * 46, width, height: 22, fill: palette[index % palette.length], 'data-model': model }, root);
      el('title', {}, bar).textContent = model + ': ' + tenant.modelSplit[model];
      offset += width;
    });
  });
  models.forEach((model, index) => {
    const legendY = 30 + data.tenants.length * 46 + Math.floor(index / 4) * 14 - 10;
    el('rect', { x: 150 + (index % 4) * 120, y: legendY - 9, width: 9, height: 9, fill: palette[index % palette.length] }, root);
    text(root, 162 + (index % 4) * 120, legendY, model, { 'font-size': 10 });
  });
}
function keyChart() {
  const root = svg('key-chart', 640, 30 + data.keys.length * 26);
  data.keys.forEach((key, row) => {
    const y = 10 + row * 26;
    text(root, 4, y + 13, key.keyId);
    el('rect', { x: 170, y, width: 400, height: 18, fill: '#e2e8f0' }, root);
    el('rect', { x: 170, y, width: Math.min(1, key.peakUtilisation) * 400, height: 18, fill: '#93c5fd', 'data-key': key.keyId }, root);
    el('rect', { x: 170, y: y + 5, width: Math.min(1, key.meanUtilisation) * 400, height: 8, fill: '#1d4ed8' }, root);
    text(root, 576, y + 13, Math.round(key.meanUtilisation * 100) + '% / ' + Math.round(key.peakUtilisation * 100) + '%');
  });
}
costChart();
modelChart();
keyChart();
document.body.dataset.charts = 'drawn';
`;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A self-contained HTML report with three charts: cost per tenant over time, model split, key utilisation. */
export function renderHtmlReport(summary: DemoSummary): string {
  const json = JSON.stringify(summary).replace(/</g, '\\u003c');
  const rows = summary.tenants
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.name)}</td><td>${t.tier}</td><td>${t.requests}</td><td>${t.errors}</td><td>${t.inputTokens + t.outputTokens}</td><td>$${(t.costMicros / 1e6).toFixed(4)}</td><td>${t.budgetUsed === null ? 'n/a' : `${(t.budgetUsed * 100).toFixed(1)}%`}</td><td>${(t.cascadeRate * 100).toFixed(1)}%</td><td>${(t.fallbackRate * 100).toFixed(1)}%</td><td>${(t.savingsRate * 100).toFixed(1)}%</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Forge1 multi-tenant demo report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #0f172a; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
section { margin: 2rem 0; }
</style>
</head>
<body>
<h1>Forge1 multi-tenant demo</h1>
<p>${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s. Savings against always using the strongest model: ${(summary.overall.savingsRate * 100).toFixed(1)}%. 429s answered by providers: ${summary.providerRateLimits}; requests the pool queued for headroom: ${summary.heldBack} (${summary.providers.map((p) => `${p.provider} served ${p.served}, queued ${p.queued}`).join('; ')}); circuit events: ${summary.circuitEvents.length}.</p>
<table>
<thead><tr><th>tenant</th><th>tier</th><th>requests</th><th>errors</th><th>tokens</th><th>cost</th><th>budget used</th><th>cascade</th><th>fallback</th><th>savings</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<section><h2>Cost per tenant over time (cumulative)</h2><div id="cost-chart"></div></section>
<section><h2>Model split per tenant</h2><div id="model-chart"></div></section>
<section><h2>Key utilisation (mean / peak)</h2><div id="key-chart"></div></section>
<script type="application/json" id="data">${json}</script>
<script>${chartScript}</script>
</body>
</html>
`;
}
