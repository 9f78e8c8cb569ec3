import type { Secret, Usage } from '@forge1/core';

/** Counts of the answers a worker got from the emulator. */
export interface ChatCounts {
  ok: number;
  rateLimited: number;
  errors: number;
}

/**
 * One OpenAI-style chat call to the provider emulator with a leased key, as the multi-process
 * workers make it: counts the answer by status and returns the usage the emulator reported, if any.
 */
export async function callEmulatorChat(
  emulatorUrl: string,
  secret: Secret,
  prompt: string,
  counts: ChatCounts,
): Promise<Usage | undefined> {
  const response = await fetch(`${emulatorUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret.reveal()}` },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 16,
    }),
  });
  const body = (await response.json()) as { usage?: { prompt_tokens: number; completion_tokens: number } };
  if (response.status === 429) counts.rateLimited++;
  else if (response.ok) counts.ok++;
  else counts.errors++;
  return body.usage
    ? {
        inputTokens: body.usage.prompt_tokens,
        outputTokens: body.usage.completion_tokens,
        cachedInputTokens: 0,
      }
    : undefined;
}
