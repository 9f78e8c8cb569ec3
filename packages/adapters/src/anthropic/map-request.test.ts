import { describe, expect, it } from 'vitest';
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
});
