import { runAdapterConformance } from '@forge1/adapters/testing';
import { anthropic } from './anthropic-adapter.js';

runAdapterConformance({
  name: 'anthropic',
  provider: 'anthropic',
  create: ({ baseURL, clock }) => anthropic({ baseURL, clock }),
  skip: { embedding: 'Anthropic has no embeddings API' },
});
