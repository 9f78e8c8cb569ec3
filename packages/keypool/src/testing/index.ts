export { runStateStoreConformance, type StateStoreFactory } from './state-store-conformance.js';
