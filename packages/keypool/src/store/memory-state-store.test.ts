import { runStateStoreConformance } from '@forge1/keypool/testing';
import { createMemoryStateStore } from './memory-state-store.js';

runStateStoreConformance('memory store', ({ clock }) => createMemoryStateStore({ clock }));
