// The browser script that draws the HTML report's charts as SVG (no library, nothing fetched). It
// reads the summary from the page's JSON script element. Every chart has titled axes with ticks;
// the time charts share one scale and shade the injected outage.
export const chartScript = `
const data = JSON.parse(document.getElementById('data').textContent);
const NS = 'http://www.w3.org/2000/svg';
const palette = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#4b5563', '#db2777', '#65a30d'];
const nameOf = Object.fromEntries(data.tenants.map((t) => [t.id, t.name]));
const seconds = Math.max(1, data.durationMs / 1000);
function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}
function svg(id, width, height, label) {
  const root = el('svg', { viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img', 'aria-label': label });
  document.getElementById(id).appendChild(root);
  return root;
}
function text(parent, x, y, content, attrs) {
  const t = el('text', Object.assign({ x, y, 'font-size': 11, fill: '#334155' }, attrs || {}), parent);
  t.textContent = content;
  return t;
}
// Round tick steps (1, 2 or 5 times a power of ten) giving about \`count\` ticks, the last one at or
// above max when \`cover\` is set (a value axis), else at or below it (the time axis ends with the run).
function ticks(max, count, cover) {
  const raw = max / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const list = [0];
  while (list[list.length - 1] < max - step / 1e6) {
    const next = list[list.length - 1] + step;
    if (!cover && next > max + step / 1e6) break;
    list.push(next);
  }
  return list;
}
function money(micros) {
  const dollars = micros / 1e6;
  return '$' + (dollars >= 1 ? dollars.toFixed(2) : dollars >= 0.01 ? dollars.toFixed(3) : dollars.toFixed(4));
}
// A time axis from 0 to the run's duration along [left, right], with ticks, title and the outage band.
function timeAxis(root, left, right, top, bottom, labelOutage) {
  const x = (s) => left + (s / seconds) * (right - left);
  if (data.outage) {
    const band = el('rect', { x: x(data.outage.fromMs / 1000), y: top, width: Math.max(1, x(data.outage.toMs / 1000) - x(data.outage.fromMs / 1000)), height: bottom - top, fill: '#fee2e2', 'data-outage': data.outage.provider }, root);
    el('title', {}, band).textContent = data.outage.provider + ' outage';
    if (labelOutage) text(root, x(data.outage.fromMs / 1000) + 3, top + 11, data.outage.provider + ' outage', { fill: '#b91c1c', 'font-size': 10 });
  }
  el('line', { x1: left, y1: bottom, x2: right, y2: bottom, stroke: '#94a3b8' }, root);
  for (const s of ticks(seconds, 8)) {
    el('line', { x1: x(s), y1: bottom, x2: x(s), y2: bottom + 4, stroke: '#94a3b8', class: 'tick-x' }, root);
    text(root, x(s), bottom + 15, s + ' s', { 'text-anchor': 'middle', 'font-size': 10 });
  }
  text(root, (left + right) / 2, bottom + 30, 'time since the start of the run (seconds)', { 'text-anchor': 'middle', class: 'axis-title' });
  return x;
}
function costChart() {
  const root = svg('cost-chart', 640, 300, 'cumulative cost per tenant over time');
  const series = Object.entries(data.costTimeline);
  const max = Math.max(1, ...series.map(([, v]) => v[v.length - 1] || 0));
  const top = 40, bottom = 250, left = 70, right = 620;
  const x = timeAxis(root, left, right, top, bottom, true);
  const yTicks = ticks(max, 5, true);
  const yMax = yTicks[yTicks.length - 1];
  const y = (v) => bottom - (v / yMax) * (bottom - top);
  el('line', { x1: left, y1: top, x2: left, y2: bottom, stroke: '#94a3b8' }, root);
  for (const v of yTicks) {
    el('line', { x1: left - 4, y1: y(v), x2: right, y2: y(v), stroke: v ? '#f1f5f9' : '#94a3b8', class: 'tick-y' }, root);
    text(root, left - 6, y(v) + 4, money(v), { 'text-anchor': 'end', 'font-size': 10 });
  }
  text(root, 12, (top + bottom) / 2, 'cumulative cost (USD)', { transform: 'rotate(-90 12 ' + (top + bottom) / 2 + ')', 'text-anchor': 'middle', class: 'axis-title' });
  series.forEach(([tenant, values], index) => {
    const d = values.map((v, i) => (i ? 'L' : 'M') + x(Math.min(i, seconds)).toFixed(1) + ' ' + y(v).toFixed(1)).join(' ');
    el('path', { d, fill: 'none', stroke: palette[index % palette.length], 'stroke-width': 2, 'data-series': tenant }, root);
    el('rect', { x: left + index * 180, y: 8, width: 10, height: 10, fill: palette[index % palette.length] }, root);
    text(root, left + 14 + index * 180, 17, nameOf[tenant] || tenant, { class: 'legend' });
  });
}
function modelChart() {
  const models = [...new Set(data.tenants.flatMap((t) => Object.keys(t.modelSplit)))].sort();
  const legendRows = Math.ceil(models.length / 3);
  const root = svg('model-chart', 640, 50 + data.tenants.length * 40 + legendRows * 16, 'model split per tenant');
  const left = 150, width = 470;
  data.tenants.forEach((tenant, row) => {
    const total = Math.max(1, Object.values(tenant.modelSplit).reduce((a, b) => a + b, 0));
    let offset = left;
    text(root, 4, 29 + row * 40, tenant.name, { class: 'legend' });
    models.forEach((model, index) => {
      const count = tenant.modelSplit[model] || 0;
      if (count <= 0) return;
      // A slice of a few requests still shows: at least 3 px, percentages in its title.
      const share = count / total;
      const w = Math.max(3, share * width);
      const bar = el('rect', { x: offset, y: 14 + row * 40, width: w, height: 24, fill: palette[index % palette.length], 'data-model': model, 'data-share': share.toFixed(4) }, root);
      el('title', {}, bar).textContent = model + ': ' + count + ' requests (' + (share * 100).toFixed(1) + '%)';
      if (w > 38) text(root, offset + w / 2, 30 + row * 40, (share * 100).toFixed(share < 0.1 ? 1 : 0) + '%', { 'text-anchor': 'middle', fill: '#fff', 'font-size': 10 });
      offset += w;
    });
  });
  const axisY = 20 + data.tenants.length * 40;
  el('line', { x1: left, y1: axisY, x2: left + width, y2: axisY, stroke: '#94a3b8' }, root);
  for (const p of [0, 25, 50, 75, 100]) {
    el('line', { x1: left + (p / 100) * width, y1: axisY, x2: left + (p / 100) * width, y2: axisY + 4, stroke: '#94a3b8', class: 'tick-x' }, root);
    text(root, left + (p / 100) * width, axisY + 14, p + '%', { 'text-anchor': 'middle', 'font-size': 10 });
  }
  text(root, left + width / 2, axisY + 27, 'share of the tenant\\'s answered requests', { 'text-anchor': 'middle', class: 'axis-title' });
  models.forEach((model, index) => {
    const legendY = axisY + 44 + Math.floor(index / 3) * 16;
    el('rect', { x: 4 + (index % 3) * 210, y: legendY - 9, width: 9, height: 9, fill: palette[index % palette.length] }, root);
    text(root, 17 + (index % 3) * 210, legendY, model, { 'font-size': 10, class: 'legend' });
  });
}
function keyChart() {
  const root = svg('key-chart', 640, 60 + data.keys.length * 26, 'key utilisation');
  const left = 170, width = 400;
  data.keys.forEach((key, row) => {
    const y = 10 + row * 26;
    text(root, 4, y + 13, key.keyId + ' (' + key.requests + ')');
    el('rect', { x: left, y, width, height: 18, fill: '#e2e8f0' }, root);
    el('rect', { x: left, y, width: Math.min(1, key.peakUtilisation) * width, height: 18, fill: '#93c5fd', 'data-key': key.keyId }, root);
    el('rect', { x: left, y: y + 5, width: Math.min(1, key.meanUtilisation) * width, height: 8, fill: '#1d4ed8' }, root);
    text(root, left + width + 6, y + 13, Math.round(key.meanUtilisation * 100) + '% / ' + Math.round(key.peakUtilisation * 100) + '%');
  });
  const axisY = 14 + data.keys.length * 26;
  for (const p of [0, 25, 50, 75, 100]) {
    el('line', { x1: left + (p / 100) * width, y1: axisY, x2: left + (p / 100) * width, y2: axisY + 4, stroke: '#94a3b8', class: 'tick-x' }, root);
    text(root, left + (p / 100) * width, axisY + 14, p + '%', { 'text-anchor': 'middle', 'font-size': 10 });
  }
  text(root, left + width / 2, axisY + 28, 'share of the key\\'s rate limit in use: mean (dark) and peak (light); requests in brackets', { 'text-anchor': 'middle', class: 'axis-title' });
}
// One lane per provider and model whose circuit changed: closed green, open red, half-open amber.
function circuitChart() {
  const lanes = [...new Set(data.circuitEvents.map((e) => e.provider + '/' + e.model))].sort();
  const root = svg('circuit-chart', 640, 70 + Math.max(1, lanes.length) * 24, 'circuit breaker states over time');
  const left = 200, right = 620, top = 10, bottom = 20 + Math.max(1, lanes.length) * 24;
  const x = timeAxis(root, left, right, top, bottom, false);
  const colour = { 'circuit.open': '#dc2626', 'circuit.halfOpen': '#f59e0b', 'circuit.close': '#16a34a' };
  if (lanes.length === 0) text(root, left, top + 16, 'no circuit opened during the run');
  lanes.forEach((lane, row) => {
    const y = top + 6 + row * 24;
    text(root, 4, y + 12, lane, { 'font-size': 10 });
    el('rect', { x: left, y, width: right - left, height: 16, fill: '#dcfce7' }, root);
    const events = data.circuitEvents.filter((e) => e.provider + '/' + e.model === lane).sort((a, b) => a.at - b.at);
    events.forEach((event, index) => {
      const from = event.at / 1000;
      const to = index + 1 < events.length ? events[index + 1].at / 1000 : seconds;
      const seg = el('rect', { x: x(from), y, width: Math.max(1, x(to) - x(from)), height: 16, fill: colour[event.type] || '#94a3b8', 'data-circuit': lane, 'data-state': event.type }, root);
      el('title', {}, seg).textContent = lane + ' ' + event.type.replace('circuit.', '') + ' at ' + from.toFixed(1) + ' s';
    });
  });
}
costChart();
modelChart();
keyChart();
circuitChart();
document.body.dataset.charts = 'drawn';
`;
