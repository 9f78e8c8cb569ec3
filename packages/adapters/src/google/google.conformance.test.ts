import { runAdapterConformance } from '@forge1/adapters/testing';
import { google } from './google-adapter.js';

runAdapterConformance({
  name: 'google',
  provider: 'google',
  create: ({ baseURL, clock }) => google({ baseURL, clock }),
  skip: { 'rate-limit-headers': 'the Gemini API sends no rate-limit headers' },
});
