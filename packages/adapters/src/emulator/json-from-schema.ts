import { asRecord } from '../provider-utils/records.js';
import { pick, type Random } from './random.js';

const words = [
  'alpha',
  'delta',
  'harbor',
  'summit',
  'meridian',
  'cobalt',
  'orchid',
  'granite',
  'lumen',
  'vector',
];

/**
 * A value that satisfies a JSON schema (the subset used for tool arguments and structured
 * outputs: type, properties, required, items, enum, const, anyOf/oneOf/allOf, minimum/maximum,
 * minItems/maxItems, minLength/maxLength, format, local `$ref`s). Google's upper-case types
 * (`OBJECT`, `STRING`) are read too. Every property is filled in, so strict schemas pass.
 */
export function valueFromSchema(schema: unknown, random: Random, root: unknown = schema, depth = 0): unknown {
  const node = resolve(asRecord(schema) ?? {}, asRecord(root) ?? {});
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return pick(random, node.enum);
  for (const combiner of ['anyOf', 'oneOf'] as const) {
    const options = node[combiner];
    if (Array.isArray(options) && options.length > 0) {
      const usable = options.filter((option) => asRecord(option)?.type !== 'null');
      return valueFromSchema(usable[0] ?? options[0], random, root, depth + 1);
    }
  }
  if (Array.isArray(node.allOf)) {
    const merged: Record<string, unknown> = {};
    const properties: Record<string, unknown> = {};
    for (const part of node.allOf) {
      const resolved = resolve(asRecord(part) ?? {}, asRecord(root) ?? {});
      Object.assign(merged, resolved);
      Object.assign(properties, asRecord(resolved.properties) ?? {});
    }
    merged.properties = properties;
    return valueFromSchema(merged, random, root, depth + 1);
  }
  const type = typeOf(node);
  switch (type) {
    case 'object':
      return objectFrom(node, random, root, depth);
    case 'array': {
      if (depth > 6) return [];
      const min = typeof node.minItems === 'number' ? node.minItems : 1;
      const max = typeof node.maxItems === 'number' ? node.maxItems : Math.max(min, 2);
      const length = Math.min(max, Math.max(min, 1 + Math.floor(random() * 2)));
      return Array.from({ length }, () => valueFromSchema(node.items ?? {}, random, root, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = typeof node.minimum === 'number' ? node.minimum : 0;
      const max = typeof node.maximum === 'number' ? node.maximum : min + 100;
      const value = min + random() * (max - min);
      return type === 'integer' ? Math.min(max, Math.ceil(value)) : Math.round(value * 100) / 100;
    }
    case 'boolean':
      return random() < 0.5;
    case 'null':
      return null;
    default:
      return stringFrom(node, random);
  }
}

function typeOf(node: Record<string, unknown>): string {
  const declared = Array.isArray(node.type) ? node.type.find((type) => type !== 'null') : node.type;
  if (typeof declared === 'string') return declared.toLowerCase();
  if (node.properties) return 'object';
  if (node.items) return 'array';
  return 'string';
}

function objectFrom(node: Record<string, unknown>, random: Random, root: unknown, depth: number) {
  const result: Record<string, unknown> = {};
  if (depth > 6) return result;
  for (const [name, property] of Object.entries(asRecord(node.properties) ?? {})) {
    result[name] = valueFromSchema(property, random, root, depth + 1);
  }
  return result;
}

function stringFrom(node: Record<string, unknown>, random: Random): string {
  switch (node.format) {
    case 'date-time':
      return '2026-01-15T09:30:00Z';
    case 'date':
      return '2026-01-15';
    case 'email':
      return `${pick(random, words)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${pick(random, words)}`;
    case 'uuid':
      return '3f2b8c1e-5d4a-4f7b-9c2e-1a6d8e0f4b21';
    default: {
      let text = `${pick(random, words)} ${pick(random, words)}`;
      const min = typeof node.minLength === 'number' ? node.minLength : 0;
      while (text.length < min) text += ` ${pick(random, words)}`;
      if (typeof node.maxLength === 'number') text = text.slice(0, node.maxLength);
      return text;
    }
  }
}

function resolve(node: Record<string, unknown>, root: Record<string, unknown>): Record<string, unknown> {
  let current = node;
  for (let hops = 0; hops < 8 && typeof current.$ref === 'string'; hops++) {
    const path = current.$ref.replace(/^#\/?/, '').split('/').filter(Boolean);
    let target: unknown = root;
    for (const segment of path) target = asRecord(target)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    current = asRecord(target) ?? {};
  }
  return current;
}
