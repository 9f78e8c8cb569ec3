import { describe, expect, it } from 'vitest';
import { toChatCompletionBody } from './map-request.js';
import { toUsage } from './map-response.js';

describe('toChatCompletionBody', () => {
  it('puts maxTokens in the configured field and maps JSON schema mode', () => {
    const request = {
      model: 'gpt-4o-mini',
      maxTokens: 64,
      messages: [{ role: 'user' as const, content: 'x' }],
      responseFormat: { type: 'json' as const, schema: { type: 'object' }, name: 'reply' },
    };
    expect(toChatCompletionBody(request, { maxTokensField: 'max_completion_tokens' })).toMatchObject({
      max_completion_tokens: 64,
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema: { type: 'object' } } },
    });
    expect(toChatCompletionBody(request, { maxTokensField: 'max_tokens' }).max_tokens).toBe(64);
  });

  it('sends an assistant tool call with null content and the tool result by id', () => {
    const body = toChatCompletionBody(
      {
        model: 'm',
        messages: [
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'w', arguments: '{}' }] },
          { role: 'tool', toolCallId: 'c1', content: 'ok' },
        ],
      },
      { maxTokensField: 'max_tokens' },
    );
    expect(body.messages[0]).toMatchObject({ content: null, tool_calls: [{ id: 'c1', type: 'function' }] });
    expect(body.messages[1]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'ok' });
  });
});

describe('toUsage', () => {
  it('reads cached tokens from prompt_tokens_details, or DeepSeek prompt_cache_hit_tokens', () => {
    expect(
      toUsage({
        prompt_tokens: 100,
        completion_tokens: 5,
        total_tokens: 105,
        prompt_tokens_details: { cached_tokens: 60 },
      }),
    ).toEqual({
      inputTokens: 100,
      outputTokens: 5,
      cachedInputTokens: 60,
    });
    expect(
      toUsage({
        prompt_tokens: 10,
        completion_tokens: 1,
        total_tokens: 11,
        prompt_cache_hit_tokens: 4,
      } as never).cachedInputTokens,
    ).toBe(4);
  });
});
