import { createKeyPool } from '@forge1/keypool';
import { runKeyPoolConformance } from '@forge1/keypool/testing';

runKeyPoolConformance('createKeyPool', ({ clock, key, maxWaitMs }) =>
  createKeyPool({
    keys: [{ ...key, provider: 'openai', tpm: 1_000_000 }],
    clock,
    maxWaitMs,
    signals: false,
  }),
);
