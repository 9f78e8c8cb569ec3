import { describe, expect, it } from 'vitest';
import { finishReasonName, inputMessages, outputMessages, redactCredentials } from './content.js';

const upper = (text: string) => text.toUpperCase();

describe('redactCredentials', () => {
  it('masks provider keys, tokens and bearer credentials', () => {
    const text = [
      'openai sk-proj-abcdefghijklmnop',
      'google AIzaSyA1234567890abcdefghijklmnop',
      'github ghp_abcdefghijklmnopqrstuvwxyz0123',
      'aws AKIAABCDEFGHIJKLMNOP',
      'header Bearer abcdefghijklmnop.qrstu',
    ].join('\n');
    expect(redactCredentials(text)).toBe(
      [
        'openai [redacted]',
        'google [redacted]',
        'github [redacted]',
        'aws [redacted]',
        'header [redacted]',
      ].join('\n'),
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'Ask the desk about the sk-8 skateboard; tokens cost money.';
    expect(redactCredentials(text)).toBe(text);
  });
});

describe('captured messages', () => {
  it('shape every role in the conventions’ message format, each text through the redactor', () => {
    const json = inputMessages(
      [
        { role: 'system', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look at this' },
            { type: 'image', data: 'aGVsbG8=', mediaType: 'image/png' },
          ],
        },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q":"x"}' }] },
        { role: 'tool', toolCallId: 'c1', content: 'found' },
      ],
      upper,
    );
    expect(JSON.parse(json)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'BE BRIEF' }] },
      { role: 'user', parts: [{ type: 'text', content: 'LOOK AT THIS' }, { type: 'image' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: '{"Q":"X"}' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'FOUND' }] },
    ]);
  });

  it('shape an answer with its finish reason in the conventions’ spelling', () => {
    const json = outputMessages({ text: 'done', toolCalls: [], finishReason: 'tool-calls' }, upper);
    expect(JSON.parse(json)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'DONE' }], finish_reason: 'tool_calls' },
    ]);
  });

  it('spell finish reasons with underscores', () => {
    expect(
      ['stop', 'length', 'tool-calls', 'content-filter'].map((reason) => finishReasonName(reason as never)),
    ).toEqual(['stop', 'length', 'tool_calls', 'content_filter']);
  });
});
