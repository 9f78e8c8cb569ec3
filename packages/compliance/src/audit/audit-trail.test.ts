import { type ChatRequest, createGateway, createTenantDirectory, type GatewayChatInput } from '@forge1/core';
import { createStaticKeyPool, createStaticRouter } from '@forge1/core/testing';
import { describe, expect, it } from 'vitest';
import { createEchoAdapter } from '../../test/echo-adapter.js';
import { createRedactor } from '../redaction/redactor.js';
import { canonicalJson, sha256 } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';
import { createAuditStore } from './audit-store.js';
import { createAuditTrail } from './audit-trail.js';
import { openSqliteAuditDatabase } from './sqlite-audit.js';

function setup(store: AuditStore, tenantsMode: 'always' | 'policy' = 'always') {
  const adapter = createEchoAdapter('openai');
  const redactor = createRedactor({ detectors: { email: 'tokenize', paymentCard: 'block' } });
  const audit = createAuditTrail({ store, redactor, tenants: tenantsMode });
  const seen: ChatRequest[] = [];
  // Sees the request exactly as the audit trail after it does.
  const spy = {
    name: 'spy',
    transformRequest(request: ChatRequest) {
      seen.push(request);
      return undefined;
    },
  };
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [
        { id: 'acme', tier: 'standard' },
        { id: 'bank', tier: 'standard', compliance: { preset: 'finance' } },
      ],
    }),
    router: createStaticRouter({ provider: 'openai', model: 'gpt-4o-mini' }),
    keys: createStaticKeyPool(),
    providers: { openai: adapter },
    middleware: [spy, audit, redactor],
  });
  return { gateway, adapter, seen };
}

const ask = (tenant: string, content: string): GatewayChatInput => ({
  tenant,
  user: 'ann',
  messages: [{ role: 'user', content }],
});

describe('createAuditTrail in a gateway', () => {
  it('writes one entry per request with hashes of what the caller sent and received', async () => {
    const store = createAuditStore({ database: openSqliteAuditDatabase() });
    const { gateway, seen } = setup(store);
    const input = ask('acme', 'Reply to ann@example.com');
    const answer = await gateway.chat(input);
    const [entry] = await store.entries('acme');
    expect(entry).toMatchObject({
      seq: 1,
      requestId: answer.requestId,
      userId: 'ann',
      outcome: 'ok',
      level: 'simple',
      provider: 'openai',
      model: 'gpt-4o-mini',
      keyId: 'key-openai-1',
      redactions: { email: 1 },
      answerHash: sha256(canonicalJson({ text: 'Reply to ann@example.com', toolCalls: [] })),
    });
    expect(seen[0]!.messages).toEqual(input.messages);
    expect(entry!.requestHash).toBe(sha256(canonicalJson(seen[0])));
    await gateway.chat(ask('acme', 'again'));
    expect(await store.verify('acme')).toMatchObject({ ok: true, entries: 2 });
    await store.close();
  });

  it('records a blocked request as blocked, with its counts and no answer', async () => {
    const store = createAuditStore({ database: openSqliteAuditDatabase() });
    const { gateway, adapter } = setup(store);
    await expect(gateway.chat(ask('acme', 'card 4111 1111 1111 1111'))).rejects.toMatchObject({
      code: 'content_blocked',
    });
    const [entry] = await store.entries('acme');
    expect(entry).toMatchObject({
      outcome: 'blocked',
      errorCode: 'content_blocked',
      answerHash: null,
      redactions: { paymentCard: 1 },
    });
    expect(adapter.requests).toEqual([]);
    await store.close();
  });

  it('audits only tenants whose policy turns audit on, when asked to', async () => {
    const store = createAuditStore({ database: openSqliteAuditDatabase() });
    const { gateway } = setup(store, 'policy');
    await gateway.chat(ask('acme', 'hello'));
    await gateway.chat(ask('bank', 'hello'));
    expect(await store.entries('acme')).toEqual([]);
    expect(await store.entries('bank')).toHaveLength(1);
    await store.close();
  });

  it('fails the request with store_unavailable when the entry cannot be written', async () => {
    const store = createAuditStore({ database: openSqliteAuditDatabase() });
    const broken: AuditStore = { ...store, append: () => Promise.reject(new Error('disk full')) };
    const { gateway } = setup(broken);
    await expect(gateway.chat(ask('acme', 'hello'))).rejects.toMatchObject({ code: 'store_unavailable' });
    await store.close();
  });

  it('refuses options without a store', () => {
    expect(() => createAuditTrail({} as never)).toThrow(/audit store/);
  });

  it('refuses hook arguments that are not a request and a context with a validation error', async () => {
    const audit = createAuditTrail({ store: createAuditStore({ database: openSqliteAuditDatabase() }) });
    const throwing = Object.defineProperty({}, 'policy', {
      get: () => {
        throw new RangeError('from the caller');
      },
    });
    expect(() => audit.transformRequest!({ messages: [] }, undefined as never)).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
    expect(() => audit.transformRequest!({ messages: [] }, throwing as never)).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
    await expect(audit.onResult!(null as never, throwing as never)).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});
