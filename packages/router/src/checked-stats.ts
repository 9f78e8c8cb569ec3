// The public, checked statistics recorder, and the checks its methods share with the router's
// `observe` and `attach`. The router records the requests it sees into an unchecked recorder;
// these checks run once, at the public object's boundary, and are a few typeof comparisons.
import {
  type ComplexityLevel,
  complexityLevels,
  type EventBus,
  expectFunction,
  expectNumber,
  expectObject,
  expectString,
  readingCaller,
  readOptions,
  refuseArgument,
  ValidationError,
} from '@forge1/core';
import {
  createStatsRecorder as createStatsRecorderUnchecked,
  type ObservedRequest,
  type StatsRecorder,
  type StatsRecorderOptions,
} from './stats/routing-stats.js';

/**
 * The fields statistics read of a finished request, each read once: string ids, a known level, a
 * decision, a finite cost and an array of attempts.
 * @throws ValidationError naming `fn` and the field
 */
export function readObserved(result: unknown, fn: string): ObservedRequest {
  expectObject(result, fn, 'result');
  const { requestId, tenantId, level, decision, model, cascaded, fellBack, costMicros, attempts } = result;
  expectString(tenantId, fn, 'result.tenantId');
  if (!complexityLevels.includes(level as ComplexityLevel))
    throw refuseArgument(fn, 'result.level', `expected one of ${complexityLevels.join(', ')}`);
  expectObject(decision, fn, 'result.decision');
  expectString(decision.model, fn, 'result.decision.model');
  expectString(model, fn, 'result.model');
  expectNumber(costMicros, fn, 'result.costMicros');
  if (!Array.isArray(attempts)) throw refuseArgument(fn, 'result.attempts', 'expected an array');
  return {
    requestId: requestId as string,
    tenantId,
    level: level as ComplexityLevel,
    decision: { provider: decision.provider as string, model: decision.model },
    model,
    cascaded: cascaded === true,
    fellBack: fellBack === true,
    costMicros,
    attempts,
  };
}

/** Throws a validation_error naming `fn` unless `events` is an event bus (has `on`). */
export function checkEvents(events: unknown, fn: string): asserts events is EventBus {
  expectObject(events, fn, 'events');
  expectFunction(events.on, fn, 'events.on');
}

/** The options of a stats recorder, checked field by field. */
function readRecorderOptions(input: StatsRecorderOptions): StatsRecorderOptions {
  const fn = 'createStatsRecorder';
  const options = readOptions(input, fn);
  const bad = (path: string, message: string) => new ValidationError(`${fn} options`, [{ path, message }]);
  const { catalog, baselineModel, providers, pendingLimit } = options;
  if (typeof catalog !== 'object' || catalog === null || typeof catalog.list !== 'function')
    throw bad('catalog', 'expected a catalog');
  if (baselineModel !== undefined && (typeof baselineModel !== 'string' || baselineModel === ''))
    throw bad('baselineModel', 'expected a model id');
  if (baselineModel !== undefined) catalog.require(baselineModel);
  if (providers !== undefined && providers !== null && !(providers instanceof Set))
    throw bad('providers', 'expected a Set of provider names or null');
  if (pendingLimit !== undefined && (!Number.isSafeInteger(pendingLimit) || pendingLimit < 1))
    throw bad('pendingLimit', 'expected a positive integer');
  return options;
}

/**
 * Creates a {@link StatsRecorder}. Savings compare what the attempts cost with what the serving
 * attempt's tokens would have cost on the baseline (strongest) model, at catalog prices.
 * @throws ValidationError on bad options (the field is named); `observe` and `attach` throw one on
 * a malformed request or event bus.
 * @example
 * ```ts
 * const recorder = createStatsRecorder({ catalog: createCatalog() });
 * const stop = recorder.attach(gateway.events);
 * recorder.snapshot().cascadeRate;
 * ```
 */
export function createStatsRecorder(options: StatsRecorderOptions): StatsRecorder {
  const inner = readingCaller('createStatsRecorder', () =>
    createStatsRecorderUnchecked(readRecorderOptions(options)),
  );
  return {
    observe(result) {
      readingCaller('statsRecorder.observe', () => {
        inner.observe(readObserved(result, 'statsRecorder.observe'));
      });
    },
    attach(events) {
      return readingCaller('statsRecorder.attach', () => {
        checkEvents(events, 'statsRecorder.attach');
        return inner.attach(events);
      });
    },
    snapshot: () => inner.snapshot(),
  };
}
