export { chatOperation, Forge1Attributes, GenAiAttributes, genAiProviderName } from './attributes.js';
export {
  type Instrumentation,
  type InstrumentedGateway,
  type InstrumentOptions,
  instrument,
  instrumentationScope,
} from './instrument.js';
export { MetricNames } from './instruments.js';
export type { KeyPoolStatsSource, MeterStatsSource } from './observed-gauges.js';
