import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { createKeepAliveFetch } from '../examples/http-service/src/keep-alive-fetch.ts';
import { serveBenchCommands } from './server-commands.ts';

// The bare reference of bench/http-service.bench.ts: the same Hono route as examples/http-service
// (POST /v1/chat, JSON in, JSON out) calling the official OpenAI SDK directly, with no Forge1 in
// between, over the same keep-alive transport the service gives its SDK clients, so that the only
// difference measured is Forge1. Usage: node bench/http-reference-server.ts <upstream base URL>;
// prints its own URL on the first line. Lines on stdin read its CPU time and drive the profiler
// (bench/server-commands.ts).

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: node bench/http-reference-server.ts <upstream base URL>');
const transport = createKeepAliveFetch();
const client = new OpenAI({
  apiKey: 'sk-bench-local-0000000000',
  baseURL: upstream,
  maxRetries: 0,
  fetch: transport.fetch,
});

const app = new Hono();
app.post('/v1/chat', async (c) => {
  const body = (await c.req.json()) as { messages: OpenAI.ChatCompletionMessageParam[]; model?: string };
  const completion = await client.chat.completions.create({
    model: body.model ?? 'gpt-4o-mini',
    messages: body.messages,
  });
  const choice = completion.choices[0];
  return c.json({
    id: completion.id,
    text: choice?.message.content ?? '',
    finishReason: choice?.finish_reason,
    model: completion.model,
    usage: completion.usage,
  });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`http://127.0.0.1:${info.port}`);
});
serveBenchCommands();
process.on('SIGTERM', () => {
  server.close(() => {
    transport.close();
    process.exit(0);
  });
});
