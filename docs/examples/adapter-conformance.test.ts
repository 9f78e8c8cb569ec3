// The adapter conformance kit run against your own adapter (docs/guides/adapters.md). Typechecked, not run.
import { openaiCompatible } from '@forge1/adapters/openai';
import { runAdapterConformance } from '@forge1/adapters/testing';

runAdapterConformance({
  name: 'our gateway adapter',
  provider: 'openai', // the wire format it speaks
  providerName: 'internal-llm',
  create: ({ baseURL, clock }) => openaiCompatible({ name: 'internal-llm', baseURL, clock }),
  skip: { 'rate-limit-headers': 'our gateway strips them' },
});
