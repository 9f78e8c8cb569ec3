import type { ChatChunk, ProviderChatRequest } from '@forge1/core';

/** Keys the kit gives the emulator; fake values that only the emulator accepts. */
export const conformanceKeys = {
  good: 'sk-forge1-conformance-good-000000000001',
  limited: 'sk-forge1-conformance-limited-00000001',
  revoked: 'sk-forge1-conformance-revoked-00000001',
} as const;

/** Default model per wire format. */
export const defaultModels = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  google: 'gemini-2.5-flash',
} as const;

/** A JSON schema of a weather tool. */
export const weatherTool = {
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

/** A plain question. */
export const ask = (model: string, content = 'Explain what a rate limiter does.'): ProviderChatRequest => ({
  model,
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content },
  ],
  maxTokens: 512,
});

/** Collects a stream, keeping what was yielded before an error. */
export async function collect(
  stream: AsyncIterable<ChatChunk>,
  onChunk?: (chunk: ChatChunk) => void,
): Promise<{ chunks: ChatChunk[]; error?: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      onChunk?.(chunk);
    }
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

/** The text of a stream's text deltas. */
export const streamedText = (chunks: readonly ChatChunk[]) =>
  chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.text : '')).join('');

/**
 * Polls `condition` until it holds (the emulator works in the same process, on real I/O), or
 * fails after about five seconds. Nothing asserts on the time it took.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 2500; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, turn < 100 ? 0 : 2));
  }
  throw new Error(`Timed out waiting until ${what}`);
}
