import { describe, expect, it } from 'vitest';
import { toGenerateContentParameters } from './map-request.js';

describe('toGenerateContentParameters', () => {
  it('maps system, tools, tool results (named after their call), JSON mode and limits', () => {
    const { contents, config } = toGenerateContentParameters({
      model: 'gemini-2.5-flash',
      maxTokens: 100,
      temperature: 0.3,
      stop: ['END'],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: 'sunny' },
      ],
      tools: [{ name: 'weather', parameters: { type: 'object' } }],
      toolChoice: { name: 'weather' },
      responseFormat: { type: 'json', schema: { type: 'object' } },
    });
    expect(config).toMatchObject({
      systemInstruction: 'Be brief.',
      maxOutputTokens: 100,
      temperature: 0.3,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    });
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(contents[2]?.parts?.[0]).toEqual({
      functionResponse: { id: 'c1', name: 'weather', response: { result: 'sunny' } },
    });
  });
});
