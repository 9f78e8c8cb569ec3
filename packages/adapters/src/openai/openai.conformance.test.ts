import { runAdapterConformance } from '@forge1/adapters/testing';
import { openai, openaiCompatible } from './openai-adapter.js';

runAdapterConformance({
  name: 'openai',
  provider: 'openai',
  create: ({ baseURL, clock }) => openai({ baseURL, clock }),
});

runAdapterConformance({
  name: 'openaiCompatible (deepseek)',
  provider: 'openai',
  providerName: 'deepseek',
  create: ({ baseURL, clock }) => openaiCompatible({ name: 'deepseek', baseURL, clock }),
});
