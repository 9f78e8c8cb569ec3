export { chatOperation, Forge1Attributes, GenAiAttributes } from './attributes.js';
export type { BudgetSource, GuardUsageSource } from './budget-gauges.js';
export { genAiProviderName, redactCredentials } from './checked-exports.js';
export type { Redactor } from './content.js';
export {
  type Instrumentation,
  type InstrumentedGateway,
  type InstrumentOptions,
  instrument,
} from './instrument.js';
export { type InstrumentRouterOptions, instrumentRouter } from './instrument-router.js';
export { MetricNames } from './instruments.js';
export type { KeyPoolStatsSource, MeterStatsSource } from './observed-gauges.js';
export { instrumentationScope } from './scope.js';
export {
  type TelemetryMiddlewareOptions,
  type TelemetryState,
  telemetryMiddleware,
} from './telemetry-middleware.js';
