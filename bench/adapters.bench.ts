// Per-response cost of the adapters' own work (mapping, usage, rate-limit headers, request id)
// over a stand-in SDK client that answers at once, with and without rate-limit headers; the
// difference is what reading the headers costs on every response. Run after
// `npm run build -w @forge1/core -w @forge1/adapters`: node bench/adapters.bench.ts

import { anthropic } from '@forge1/adapters/anthropic';
import { openai } from '@forge1/adapters/openai';
import { Secret } from '@forge1/core';
import { fmt, percentiles, writeSection } from './report.ts';

const others = {
  'content-type': 'application/json',
  date: 'Sun, 16 Nov 2025 10:00:00 GMT',
  server: 'cloudflare',
  'cf-ray': '99f1e0c0c8d2a1b3-FRA',
  'x-envoy-upstream-service-time': '312',
  'openai-processing-ms': '300',
};
const openaiLimits = {
  'x-ratelimit-limit-requests': '5000',
  'x-ratelimit-limit-tokens': '800000',
  'x-ratelimit-remaining-requests': '4999',
  'x-ratelimit-remaining-tokens': '799986',
  'x-ratelimit-reset-requests': '12ms',
  'x-ratelimit-reset-tokens': '6m0s',
};
const anthropicLimits = {
  'anthropic-ratelimit-requests-limit': '1000',
  'anthropic-ratelimit-requests-remaining': '999',
  'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:59Z',
  'anthropic-ratelimit-tokens-limit': '96000',
  'anthropic-ratelimit-tokens-remaining': '96000',
  'anthropic-ratelimit-tokens-reset': '2025-08-21T12:41:00Z',
};

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello there.', refusal: null },
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 16,
    completion_tokens: 3,
    total_tokens: 19,
    prompt_tokens_details: { cached_tokens: 0 },
  },
};
const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text: 'Hello there.' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
};

const batch = 1000;
// Each response brings its own fetch Headers, as the SDKs' do; they are built before each
// batch, outside the timing.
let ready: Headers[] = [];
let next = 0;
const answer = (data: unknown) => () => ({
  withResponse: async () => ({ data, response: { headers: ready[next++] }, request_id: 'req_1' }),
});

async function perCall(chat: () => Promise<unknown>, headers: Record<string, string>): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < 200; round++) {
    ready = Array.from({ length: batch }, () => new Headers(headers));
    next = 0;
    const from = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await chat();
    samples.push(Number(process.hrtime.bigint() - from) / batch / 1000);
  }
  return percentiles(samples.slice(40)).p50;
}

const call = { apiKey: new Secret('sk-bench-0000000000000001') };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }], maxTokens: 64 };

async function measure(kind: 'openai' | 'anthropic', limits: boolean) {
  const headers = { ...others, ...(limits ? (kind === 'openai' ? openaiLimits : anthropicLimits) : {}) };
  const adapter =
    kind === 'openai'
      ? openai({ client: { chat: { completions: { create: answer(completion) } } } as never })
      : anthropic({ client: { messages: { create: answer(message) } } as never });
  return perCall(() => adapter.chat(request, call), headers);
}

const rows: string[] = [];
for (const kind of ['openai', 'anthropic'] as const) {
  const without = await measure(kind, false);
  const withLimits = await measure(kind, true);
  rows.push(
    `| ${kind} | ${fmt(without, 2)} µs | ${fmt(withLimits, 2)} µs | ${fmt(withLimits - without, 2)} µs |`,
  );
}

const markdown = `
### Adapter work per response

\`adapter.chat\` over a stand-in SDK client that answers at once (mapping the request and the
answer, usage, request id), with ${Object.keys(others).length} ordinary response headers, and with the six
rate-limit headers added. Median per call over batches of 1 000 sequential calls.

| adapter | without rate-limit headers | with them | reading them |
|---|---|---|---|
${rows.join('\n')}

Rate-limit headers are read with one \`get\` a header from a fixed table (iterating a fetch
\`Headers\` sorts it first, which costs more), Go durations with a hand-written scanner instead
of two regular expressions, and the result object is built only when a header is there.
`;

console.log(markdown);
writeSection('adapters', 'Adapters', markdown);
