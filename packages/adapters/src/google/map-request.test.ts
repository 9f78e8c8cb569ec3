import { describe, expect, it } from 'vitest';
import { everyPart, textFile, tinyPng } from '../provider-utils/content-fixtures.js';
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

  it('maps content parts to text, fileData for URLs and inlineData for bytes', () => {
    const { contents } = toGenerateContentParameters({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: everyPart }],
    });
    expect(contents[0]?.parts).toEqual([
      { text: 'Describe these.' },
      { fileData: { fileUri: 'https://example.com/cat.png', mimeType: 'image/png' } },
      { inlineData: { data: tinyPng, mimeType: 'image/png' } },
      { inlineData: { data: 'JVBERi0xLjQK', mimeType: 'application/pdf' } },
      { inlineData: { data: textFile, mimeType: 'text/plain' } },
    ]);
  });

  it('asks for a thinking budget, from the budget or the effort', () => {
    const config = (reasoning: object) =>
      toGenerateContentParameters({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'Hi' }],
        reasoning,
      }).config.thinkingConfig;
    expect(config({ budgetTokens: 2048 })).toEqual({ thinkingBudget: 2048 });
    expect(config({ effort: 'low' })).toEqual({ thinkingBudget: 1024 });
  });
});
