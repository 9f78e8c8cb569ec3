import { ClosedError } from '@forge1/core';
import { createSqliteSink, createUsageStore } from '@forge1/metering';
import { describe, expect, it } from 'vitest';

describe('a usage store whose database was closed', () => {
  it('rejects queries with a ClosedError, not the driver’s plain Error', async () => {
    const sink = createSqliteSink({ path: ':memory:' });
    const usage = createUsageStore({ database: sink.database });
    await expect(usage.totals('acme')).resolves.toMatchObject({ requests: 0 });
    await sink.close();
    expect(sink.database.closed).toBe(true);
    for (const query of [
      () => usage.totals('acme'),
      () => usage.spend('acme', '2026-01'),
      () => usage.adminSummary(),
    ]) {
      const error = await query().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ClosedError);
      expect(error).toMatchObject({ code: 'closed' });
    }
  });
});
