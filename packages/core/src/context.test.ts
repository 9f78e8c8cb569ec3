import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { currentContext, deriveContext, isUlid, runWithContext } from './index.js';

describe('request context', () => {
  it('is undefined outside a request', () => {
    expect(currentContext()).toBeUndefined();
  });

  it('keeps 1 000 concurrent interleaved requests of different tenants apart', async () => {
    const seen = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        runWithContext({ tenantId: `tenant-${i % 7}`, userId: `user-${i}` }, async () => {
          const observed: string[] = [];
          for (let step = 0; step < 3; step++) {
            // Interleave: each request yields to others a varying number of times.
            await delay((i * 7 + step) % 3);
            const context = currentContext()!;
            observed.push(`${context.tenantId}/${context.userId}`);
          }
          return { i, observed };
        }),
      ),
    );
    for (const { i, observed } of seen) {
      expect(observed).toEqual(Array(3).fill(`tenant-${i % 7}/user-${i}`));
    }
  });

  it('lets nested contexts inherit people and override explicitly', () => {
    runWithContext({ tenantId: 'acme', employeeId: 'e1', userId: 'u1' }, () => {
      const outer = currentContext()!;
      runWithContext({ userId: 'u2' }, () => {
        const inner = currentContext()!;
        expect(inner).toMatchObject({ tenantId: 'acme', employeeId: 'e1', userId: 'u2' });
        expect(inner.requestId).not.toBe(outer.requestId);
      });
      expect(currentContext()!.userId).toBe('u1');
    });
  });

  it('generates a ULID request id and a start time unless given', () => {
    const context = deriveContext({ tenantId: 't' }, () => 1234);
    expect(isUlid(context.requestId)).toBe(true);
    expect(context.startedAt).toBe(1234);
    expect(deriveContext({ tenantId: 't', requestId: 'r-1' }).requestId).toBe('r-1');
  });
});
