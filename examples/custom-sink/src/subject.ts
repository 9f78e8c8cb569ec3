/**
 * The subject of a tenant's records: `<prefix>.<tenant>`, the tenant percent-encoded so that a
 * `.`, `*`, `>` or space in its id can neither split the token nor act as a wildcard (and two
 * tenants never share a subject). Consumers can subscribe to one tenant: `forge1.usage.acme`.
 * @example
 * ```ts
 * tenantSubject('forge1.usage', 'eu.acme'); // 'forge1.usage.eu%2Eacme'
 * ```
 */
export function tenantSubject(prefix: string, tenantId: string): string {
  const token = tenantId.replace(/[^A-Za-z0-9_:-]/g, (character) =>
    [...new TextEncoder().encode(character)]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
  return `${prefix}.${token}`;
}
