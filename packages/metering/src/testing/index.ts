export { type SampleRecordOptions, sampleUsageRecords } from './sample-records.js';
export { runSinkConformance, type SinkConformanceOptions, type SinkHarness } from './sink-conformance.js';
