import { readFileSync } from 'node:fs';
import { MetricNames } from '@forge1/telemetry';
import { describe, expect, it } from 'vitest';

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}
const dashboard = JSON.parse(
  readFileSync(new URL('../grafana/forge1-dashboard.json', import.meta.url), 'utf8'),
) as { panels: Panel[]; templating: { list: Array<{ name: string }> } };
const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

/** Metric names in a PromQL query: identifiers left once label lists and matchers are removed. */
const metricsOf = (expr: string) =>
  expr
    .replace(/\b(by|without|ignoring|on)\s*\([^)]*\)/g, '')
    .replace(/\{[^}]*\}/g, '')
    .match(/\b(forge1|gen_ai)_[a-z_]+/g) ?? [];
const exported = new Set(Object.values(MetricNames).map((name) => name.replaceAll('.', '_')));
const base = (name: string) => name.replace(/_(total|bucket|count|sum)$/, '');

describe('Grafana dashboard', () => {
  it('queries only metrics that @forge1/telemetry exports', () => {
    const used = [...new Set(queries.flatMap(metricsOf))];
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !exported.has(base(name)))).toEqual([]);
  });

  it('has the panels the operators asked for', () => {
    const titles = dashboard.panels.map((panel) => panel.title.toLowerCase()).join('\n');
    for (const wanted of [
      'cost per tenant',
      'tier split',
      'slm share',
      'cascade',
      'key utilisation',
      'error rate',
    ])
      expect(titles).toContain(wanted);
  });

  it('filters tenant-scoped panels by the tenant variable', () => {
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual(['datasource', 'tenant']);
    const tenantScoped = queries.filter((expr) =>
      /forge1_(cost|requests|cascades|router_decisions)_total/.test(expr),
    );
    expect(tenantScoped.every((expr) => expr.includes('forge1_tenant=~"$tenant"'))).toBe(true);
  });
});
