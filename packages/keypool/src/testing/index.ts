export { type KeyPoolFactory, runKeyPoolConformance } from './key-pool-conformance.js';
export { runStateStoreConformance, type StateStoreFactory } from './state-store-conformance.js';
