// The learner's options as one schema: `createRouter` checks its `learner` field with it, and the
// public `createOnlineLearner` its options, so both refuse the same values with the field named.
import { z } from 'zod';
import type { LearnerStore } from './learn/learner-store.js';

const unit = z.number().min(0).max(1);
const method = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', `expected ${what}`);

/** The schema of `LearnerOptions` (strict: an unknown field is named). */
export const learnerOptionsSchema = z
  .object({
    enabled: z.boolean(),
    lambda: z.number().nonnegative().finite(),
    learningRate: z.number().positive().max(10),
    denseLearningRate: z.number().nonnegative().max(10),
    calibrationRate: z.number().nonnegative().max(10),
    l2: z.number().nonnegative().finite(),
    epsilon: unit,
    seed: z.number().int(),
    minimumObservations: z.number().int().nonnegative(),
    store: z.custom<LearnerStore>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as LearnerStore).add === 'function' &&
        typeof (value as LearnerStore).read === 'function',
      'expected a LearnerStore ({ add, read })',
    ),
    syncIntervalMs: z.number().int().nonnegative(),
    now: method<() => number>('a function'),
    onStoreError: method<(error: unknown) => void>('a function'),
  })
  .partial()
  .strict();
