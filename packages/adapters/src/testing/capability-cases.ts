import type { ChatChunk, ProviderAdapterV1, ProviderCall } from '@forge1/core';
import { expect } from 'vitest';
import type { ProviderEmulator } from '../emulator/index.js';
import { ask, collect, conformanceKeys } from './conformance-fixtures.js';
import type { AdapterConformanceOptions, ConformanceCase } from './conformance-options.js';

/** What the capability cases need from the running suite. */
export interface CapabilityContext {
  options: AdapterConformanceOptions;
  model: string;
  emulator(): ProviderEmulator;
  adapter(): ProviderAdapterV1;
  good(): ProviderCall;
  test(name: ConformanceCase, title: string, body: () => Promise<void>): void;
}

/** A 2×2 PNG, base64: small enough to send, with a header the emulator reads. */
const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEklEQVR42mP8z8Dwn4GBgYEBAB0fAgJnQ0BPAAAAAElFTkSuQmCC';
/** A one-page PDF, base64. */
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
).toString('base64');

const embeddingModels = { openai: 'text-embedding-3-small', google: 'gemini-embedding-001' } as const;
const finishOf = (chunks: readonly ChatChunk[]) => {
  const last = chunks.at(-1);
  return last?.type === 'finish' ? last : undefined;
};

/** Multimodal input, reasoning, prompt caching and embeddings, each SDK against the emulator. */
export function capabilityCases(context: CapabilityContext): void {
  const { test, model } = context;
  const forKey = () => context.emulator().counters.forKey(conformanceKeys.good);

  test(
    'multimodal',
    'sends an image and a PDF with text; the provider counts their tokens as input',
    async () => {
      const question = 'What do this image and this document show?';
      const textOnly = await context.adapter().chat(ask(model, question), context.good());
      const result = await context.adapter().chat(
        {
          ...ask(model),
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: question },
                { type: 'image', data: png, mediaType: 'image/png' },
                { type: 'file', data: pdf, mediaType: 'application/pdf', filename: 'page.pdf' },
              ],
            },
          ],
        },
        context.good(),
      );
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.usage.inputTokens).toBeGreaterThan(textOnly.usage.inputTokens);
    },
  );

  test('reasoning', 'asks for thinking and reports its tokens apart, inside the output', async () => {
    const request = {
      ...ask(model, 'Why do token buckets allow bursts?'),
      reasoning: { budgetTokens: 2048 },
    };
    const before = forKey();
    const result = await context.adapter().chat(request, context.good());
    const reasoning = result.usage.reasoningTokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(reasoning).toBeLessThanOrEqual(result.usage.outputTokens);
    expect(forKey().reasoningTokens - before.reasoningTokens).toBe(reasoning);
    const { chunks, error } = await collect(context.adapter().stream(request, context.good()));
    expect(error).toBeUndefined();
    expect(finishOf(chunks)?.usage.reasoningTokens).toBe(reasoning);
  });

  test(
    'caching',
    'a repeated long cacheable system prompt is read from the cache the second time',
    async () => {
      const system = `You are the house style checker. ${'Keep every sentence short and plain. '.repeat(160)}`;
      const request = {
        model,
        messages: [
          { role: 'system' as const, content: system },
          { role: 'user' as const, content: 'Check: the the cat.' },
        ],
        maxTokens: 256,
        cache: { ttl: '5m' as const },
      };
      const first = await context.adapter().chat(request, context.good());
      const before = forKey();
      const second = await context.adapter().chat(request, context.good());
      expect(first.usage.cachedInputTokens).toBe(0);
      expect(second.usage.cachedInputTokens).toBeGreaterThan(1000);
      expect(second.usage.cachedInputTokens).toBeLessThanOrEqual(second.usage.inputTokens);
      expect(forKey().cachedInputTokens - before.cachedInputTokens).toBe(second.usage.cachedInputTokens);
      if (context.options.provider === 'anthropic') {
        expect(first.usage.cacheWriteInputTokens).toBe(second.usage.cachedInputTokens);
      }
    },
  );

  test('embedding', 'embeds texts: one vector per input, in order, with the input tokens', async () => {
    const adapter = context.adapter();
    if (!adapter.embed) throw new Error('the adapter has no embed(); skip this case with a reason');
    const provider = context.options.provider === 'google' ? 'google' : 'openai';
    const embeddingModel = context.options.embeddingModel ?? embeddingModels[provider];
    const before = forKey();
    const input = ['token buckets', 'circuit breakers', 'token buckets'];
    const result = await adapter.embed({ model: embeddingModel, input }, context.good());
    expect(result.embeddings).toHaveLength(3);
    const [a, b, c] = result.embeddings;
    expect(a?.length).toBeGreaterThan(0);
    expect(b).toHaveLength(a?.length ?? 0);
    expect(c).toEqual(a);
    expect(b).not.toEqual(a);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBe(0);
    expect(forKey().inputTokens - before.inputTokens).toBe(result.usage.inputTokens);
    const shorter = await adapter.embed(
      { model: embeddingModel, input: ['x'], dimensions: 8 },
      context.good(),
    );
    expect(shorter.embeddings[0]).toHaveLength(8);
  });
}
