import { describe, expect, it } from 'vitest';
import { toEmulatorRequest } from './emulator-request.js';

describe('toEmulatorRequest', () => {
  const base = {
    provider: 'openai' as const,
    model: 'gpt-4o-mini',
    stream: false,
    includeUsage: false,
    toolChoice: 'auto' as const,
    stop: 'END',
  };

  it('reads the system prompt, the last user text, the input characters and the tools', () => {
    const tools = [{ name: 'get_weather', description: 'Weather', schema: { type: 'object' } }, { name: 3 }];
    const request = toEmulatorRequest({
      ...base,
      turns: [
        { role: 'system', text: 'Be brief.' },
        { role: 'user', text: 'Weather?' },
        { role: 'assistant', text: '', extraChars: 10 },
        { role: 'user', text: '' },
      ],
      toolsField: tools,
      tools,
      maxTokens: 64,
    });
    expect(request).toMatchObject({
      system: 'Be brief.',
      lastUserText: 'Weather?',
      afterToolResult: false,
      inputChars: 'Be brief.'.length + 'Weather?'.length + 10 + JSON.stringify(tools).length,
      tools: [{ name: 'get_weather', description: 'Weather', schema: { type: 'object' } }],
      stop: ['END'],
      maxTokens: 64,
    });
  });

  it('knows when the last turn answers a tool call', () => {
    const request = toEmulatorRequest({
      ...base,
      turns: [
        { role: 'user', text: 'Weather?' },
        { role: 'tool', text: '{"c":21}', toolResult: true },
      ],
      toolsField: undefined,
      tools: [],
    });
    expect(request.afterToolResult).toBe(true);
    expect(request.maxTokens).toBeUndefined();
  });
});
