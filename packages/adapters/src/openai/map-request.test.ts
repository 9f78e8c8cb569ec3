import { describe, expect, it } from 'vitest';
import { everyPart, textFile, tinyPng } from '../provider-utils/content-fixtures.js';
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

  it('maps content parts to text, image_url and file parts, inline bytes as data URLs', () => {
    const body = toChatCompletionBody(
      { model: 'gpt-4o', messages: [{ role: 'user', content: everyPart }] },
      { maxTokensField: 'max_completion_tokens' },
    );
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Describe these.' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${tinyPng}` } },
        {
          type: 'file',
          file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'report.pdf' },
        },
        { type: 'file', file: { file_data: `data:text/plain;base64,${textFile}`, filename: 'document.txt' } },
      ],
    });
  });

  it('sends a reasoning effort, or the effort a thinking budget falls in', () => {
    const ask = (reasoning: object) =>
      toChatCompletionBody(
        { model: 'o4-mini', messages: [{ role: 'user', content: 'Hi' }], reasoning },
        { maxTokensField: 'max_completion_tokens' },
      ).reasoning_effort;
    expect(ask({ effort: 'high' })).toBe('high');
    expect(ask({ budgetTokens: 1000 })).toBe('low');
    expect(ask({ budgetTokens: 4000 })).toBe('medium');
    expect(ask({ budgetTokens: 30_000 })).toBe('high');
  });
});
