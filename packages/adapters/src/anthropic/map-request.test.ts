import { describe, expect, it } from 'vitest';
import { everyPart, tinyPng } from '../provider-utils/content-fixtures.js';
import { JSON_TOOL_NAME, toMessagesBody, unsupportedOptions } from './map-request.js';

const settings = { defaultMaxTokens: 1024, jsonMode: 'tool' as const };

describe('toMessagesBody', () => {
  it('moves system prompts to the top-level system and defaults max_tokens', () => {
    const body = toMessagesBody(
      {
        model: 'm',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        stop: ['END'],
      },
      settings,
    );
    expect(body).toMatchObject({ system: 'Be brief.', max_tokens: 1024, stop_sequences: ['END'] });
    expect(body.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('sends tool calls as tool_use and results as tool_result blocks of one user turn', () => {
    const body = toMessagesBody(
      {
        model: 'm',
        maxTokens: 50,
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 't1', name: 'w', arguments: '{"city":"Oslo"}' }],
          },
          { role: 'tool', toolCallId: 't1', content: 'sunny' },
        ],
        tools: [{ name: 'w', parameters: { type: 'object' } }],
        toolChoice: 'required',
      },
      settings,
    );
    expect(body.max_tokens).toBe(50);
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 't1', name: 'w', input: { city: 'Oslo' } }],
    });
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }],
    });
    expect(body.tool_choice).toEqual({ type: 'any' });
  });

  it('asks for JSON through a forced json_response tool, or output_config', () => {
    const request = {
      model: 'm',
      messages: [{ role: 'user' as const, content: 'x' }],
      responseFormat: { type: 'json' as const },
    };
    expect(toMessagesBody(request, settings).tool_choice).toEqual({ type: 'tool', name: JSON_TOOL_NAME });
    expect(toMessagesBody(request, { ...settings, jsonMode: 'output-format' }).output_config).toEqual({
      format: { type: 'json_schema', schema: { type: 'object' } },
    });
  });

  it('warns that temperature is not sent', () => {
    expect(unsupportedOptions({ model: 'm', messages: [], temperature: 0.2 })).toHaveLength(1);
  });

  it('maps content parts to text, image (url and base64) and document blocks', () => {
    const body = toMessagesBody(
      { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: everyPart }] },
      settings,
    );
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Describe these.' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: tinyPng } },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
        title: 'report.pdf',
      },
      {
        type: 'document',
        source: { type: 'text', media_type: 'text/plain', data: 'Invoice 42: total 10 EUR' },
      },
    ]);
  });

  it('puts cache_control breakpoints on the system prompt and the last tool when caching is asked', () => {
    const body = toMessagesBody(
      {
        model: 'claude-haiku-4-5',
        messages: [
          { role: 'system', content: 'Long stable instructions.' },
          { role: 'user', content: 'Hi' },
        ],
        tools: [
          { name: 'a', parameters: { type: 'object' } },
          { name: 'b', parameters: { type: 'object' } },
        ],
        cache: { ttl: '1h' },
      },
      settings,
    );
    expect(body.system).toEqual([
      { type: 'text', text: 'Long stable instructions.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(body.tools?.[0]).not.toHaveProperty('cache_control');
    expect(body.tools?.[1]).toMatchObject({ cache_control: { type: 'ephemeral', ttl: '1h' } });
  });

  it('enables thinking with its budget on top of max_tokens, and not with a forced tool', () => {
    const request = {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user' as const, content: 'Hi' }],
      maxTokens: 500,
      reasoning: { budgetTokens: 2000 },
    };
    const body = toMessagesBody(request, settings);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(body.max_tokens).toBe(2500);
    expect(toMessagesBody({ ...request, reasoning: { effort: 'low' } }, settings).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 1024,
    });
    const forced = { ...request, responseFormat: { type: 'json' as const } };
    const forcedBody = toMessagesBody(forced, settings);
    expect(forcedBody.thinking).toBeUndefined();
    expect(unsupportedOptions(forced, forcedBody)).toEqual([expect.stringContaining('reasoning')]);
  });
});
