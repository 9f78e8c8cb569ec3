export type { AdapterConformanceOptions, ConformanceCase, ConformanceTarget } from './conformance-options.js';
export { runAdapterConformance } from './run-adapter-conformance.js';
