export type {
  EmulatorCounterField,
  EmulatorCounterSnapshot,
  EmulatorCounters,
} from './counters.js';
export type {
  EmulatorFault,
  EmulatorFaultEffect,
  EmulatorFaultMatch,
  EmulatorFaultTrigger,
  EmulatorKeyLimits,
  EmulatorProvider,
  ProviderEmulatorOptions,
} from './emulator-options.js';
export { type ProviderEmulator, startProviderEmulator } from './provider-emulator.js';
export { hashApiKey } from './random.js';
