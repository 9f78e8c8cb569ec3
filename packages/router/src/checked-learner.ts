// The public, checked versions of the online learner and the memory learner store. The router
// builds its own learner from options it validated and calls it with features it computed, so it
// uses the unchecked factory; a host calling these objects directly gets a `validation_error`
// naming the method and the field for anything malformed.
import {
  asInputError,
  expectNumber,
  expectObject,
  expectString,
  parseWith,
  readingCaller,
  readUntrusted,
  refuseArgument,
} from '@forge1/core';
import { hashedDimensions } from './analyze/ngram-hasher.js';
import {
  createMemoryLearnerStore as createMemoryLearnerStoreUnchecked,
  type LearnerStore,
  type WeightIncrements,
} from './learn/learner-store.js';
import {
  createOnlineLearner as createOnlineLearnerUnchecked,
  type LearnerOptions,
  type OnlineLearner,
} from './learn/online-learner.js';
import { learnerOptionsSchema } from './learner-options.js';
import { denseSize } from './model/difficulty-features.js';
import type { DifficultyWeights, FeatureVector } from './model/difficulty-model.js';

/** `length` finite numbers copied out of an array-like, or undefined when it is not one. */
function finiteNumbers(value: unknown, length: number | undefined): Float64Array | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const source = value as ArrayLike<unknown>;
  const size = source.length;
  if (!Number.isSafeInteger(size) || (length !== undefined && size !== length)) return undefined;
  const copy = new Float64Array(size);
  for (let index = 0; index < size; index++) {
    const item = source[index];
    if (typeof item !== 'number' || !Number.isFinite(item)) return undefined;
    copy[index] = item;
  }
  return copy;
}

/** A copy of a caller's feature vector: `denseSize` finite dense values and `count` valid slots. */
function readFeatures(value: unknown, fn: string): FeatureVector {
  expectObject(value, fn, 'features');
  const dense = finiteNumbers(value.dense, denseSize);
  if (!dense) throw refuseArgument(fn, 'features.dense', `expected ${denseSize} finite numbers`);
  const slots = value.slots as ArrayLike<unknown> | undefined;
  if (typeof slots !== 'object' || slots === null || !Number.isSafeInteger(slots.length))
    throw refuseArgument(fn, 'features.slots', 'expected an array of slots');
  const count = value.count ?? slots.length;
  if (!Number.isSafeInteger(count) || (count as number) < 0 || (count as number) > slots.length)
    throw refuseArgument(fn, 'features.count', `expected an integer from 0 to ${slots.length}`);
  const used = new Uint32Array(count as number);
  for (let index = 0; index < used.length; index++) {
    const slot = slots[index];
    if (!Number.isInteger(slot) || (slot as number) < 0 || (slot as number) >= hashedDimensions)
      throw refuseArgument(
        fn,
        `features.slots.${index}`,
        `expected an integer slot below ${hashedDimensions}`,
      );
    used[index] = slot as number;
  }
  return { dense, slots: used, count: used.length };
}

const optionalNumber = (value: unknown, fn: string, path: string): number | undefined => {
  if (value !== undefined) expectNumber(value, fn, path);
  return value;
};

/** The prior's weights, checked: a finite bias, `denseSize` dense and `hashedDimensions` hashed weights. */
function readPrior(value: unknown): DifficultyWeights {
  const fn = 'createOnlineLearner';
  expectObject(value, fn, 'model.prior');
  expectNumber(value.bias, fn, 'model.prior.bias');
  const dense = finiteNumbers(value.dense, denseSize);
  if (!dense) throw refuseArgument(fn, 'model.prior.dense', `expected ${denseSize} finite numbers`);
  const hashed = finiteNumbers(value.hashed, hashedDimensions);
  if (!hashed) throw refuseArgument(fn, 'model.prior.hashed', `expected ${hashedDimensions} finite numbers`);
  return { bias: value.bias, dense, hashed };
}

/**
 * Creates the online learner: for each tenant, a logistic correction of the prior over the same
 * features, updated by feedback, seeded and deterministic, exportable as JSON, and shared between
 * processes through a {@link LearnerStore} (updates are increments, so processes add up).
 * @throws ValidationError on a malformed prior or options (the field is named); its methods throw
 * one on malformed arguments.
 * @example
 * ```ts
 * const learner = createOnlineLearner({ prior: priorWeights() }, { epsilon: 0.05 });
 * learner.update('acme', features, 1); // a small model failed on this request
 * ```
 */
export function createOnlineLearner(
  model: { prior: DifficultyWeights; priorWeight?: number },
  options: LearnerOptions = {},
): OnlineLearner {
  const fn = 'createOnlineLearner';
  expectObject(model, fn, 'model');
  const inner = readingCaller(fn, () => {
    const snapshot = readUntrusted(model, `${fn} model`);
    const prior = readPrior(snapshot.prior);
    const priorWeight = optionalNumber(snapshot.priorWeight, fn, 'model.priorWeight');
    const checked = parseWith(learnerOptionsSchema, options, `${fn} options`) as LearnerOptions;
    return createOnlineLearnerUnchecked(
      { prior, ...(priorWeight === undefined ? {} : { priorWeight }) },
      checked,
    );
  });
  return {
    enabled: inner.enabled,
    probability(tenantId, features, offset) {
      expectString(tenantId, 'learner.probability', 'tenantId');
      return readingCaller('learner.probability', () =>
        inner.probability(
          tenantId,
          readFeatures(features, 'learner.probability'),
          optionalNumber(offset, 'learner.probability', 'offset'),
        ),
      );
    },
    observations(tenantId) {
      expectString(tenantId, 'learner.observations', 'tenantId');
      return inner.observations(tenantId);
    },
    update: checkedUpdate('learner.update', 'better', inner.update),
    updateStrong: checkedUpdate('learner.updateStrong', 'failed', inner.updateStrong),
    explore: () => inner.explore(),
    async sync(tenantId) {
      expectString(tenantId, 'learner.sync', 'tenantId');
      try {
        await inner.sync(tenantId);
      } catch (thrown) {
        throw asInputError(thrown, 'learner.sync');
      }
    },
    exportState: () => inner.exportState(),
    importState: (state) => readingCaller('learner.importState', () => inner.importState(state)),
  };
}

/** One of the learner's label methods, checked: tenant id, features, a numeric label, weight ≥ 0, offset. */
function checkedUpdate(fn: string, label: string, update: OnlineLearner['update']): OnlineLearner['update'] {
  return (tenantId, features, value, weight, offset) => {
    expectString(tenantId, fn, 'tenantId');
    readingCaller(fn, () => {
      const read = readFeatures(features, fn);
      expectNumber(value, fn, label);
      if (weight !== undefined && (!Number.isFinite(weight) || weight < 0))
        throw refuseArgument(fn, 'weight', 'expected a finite number ≥ 0');
      update(tenantId, read, value, weight, optionalNumber(offset, fn, 'offset'));
    });
  };
}

/**
 * A snapshot of a caller's increments: string fields and finite numbers.
 * @throws ValidationError naming `fn` on anything else, a Proxy or a throwing iterator included
 */
export function readIncrements(value: unknown, fn: string): WeightIncrements {
  return readingCaller(fn, () => {
    if (!(value instanceof Map)) throw refuseArgument(fn, 'increments', 'expected a Map of field to number');
    const copy = new Map<string, number>();
    for (const [field, amount] of value) {
      if (typeof field !== 'string' || typeof amount !== 'number' || !Number.isFinite(amount))
        throw refuseArgument(fn, 'increments', 'expected string fields and finite numbers');
      copy.set(field, amount);
    }
    return copy;
  });
}

/**
 * A learner store in this process's memory; share one instance between routers of a process.
 * @throws nothing at creation; its methods throw a ValidationError on a tenant id that is not a
 * string or increments that are not a Map of finite numbers.
 * @example
 * ```ts
 * const store = createMemoryLearnerStore();
 * const a = createRouter({ learner: { store } });
 * const b = createRouter({ learner: { store } }); // learns from a's feedback too
 * ```
 */
export function createMemoryLearnerStore(): LearnerStore {
  const store = createMemoryLearnerStoreUnchecked();
  return {
    add(tenantId, increments) {
      expectString(tenantId, 'learnerStore.add', 'tenantId');
      store.add(tenantId, readIncrements(increments, 'learnerStore.add'));
    },
    read(tenantId) {
      expectString(tenantId, 'learnerStore.read', 'tenantId');
      return store.read(tenantId);
    },
  };
}
