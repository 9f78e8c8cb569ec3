import { describe, expect, it } from 'vitest';
import { ToolCallTracker } from './tool-call-tracker.js';

describe('ToolCallTracker', () => {
  it('numbers calls in order of first sight and completes them whole', () => {
    const tracker = new ToolCallTracker<number>();
    expect(tracker.delta(7, { id: 'a', name: 'get_', argumentsDelta: '' })).toEqual({
      type: 'tool-call-delta',
      index: 0,
      id: 'a',
      name: 'get_',
      argumentsDelta: '',
    });
    tracker.delta(3, { id: 'b', name: 'other', argumentsDelta: '{}' });
    tracker.delta(7, { name: 'weather', argumentsDelta: '{"city":' });
    expect(tracker.delta(7, { argumentsDelta: '"Oslo"}' })).toEqual({
      type: 'tool-call-delta',
      index: 0,
      argumentsDelta: '"Oslo"}',
    });
    expect(tracker.complete(7)).toEqual({
      type: 'tool-call',
      toolCall: { id: 'a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    });
    expect(tracker.complete(7)).toBeUndefined();
    expect(tracker.completeAll()).toEqual([
      { type: 'tool-call', toolCall: { id: 'b', name: 'other', arguments: '{}' } },
    ]);
    expect(tracker.count).toBe(2);
  });

  it('gives a call without arguments the configured empty arguments', () => {
    const tracker = new ToolCallTracker<number>('{}');
    tracker.delta(0, { id: 'x', name: 'ping' });
    expect(tracker.completeAll()).toEqual([
      { type: 'tool-call', toolCall: { id: 'x', name: 'ping', arguments: '{}' } },
    ]);
  });

  it('turns a call that arrived whole into one delta and the call', () => {
    const tracker = new ToolCallTracker<never>();
    const call = { id: 'c', name: 'f', arguments: '{"a":1}' };
    expect(tracker.whole(call)).toEqual([
      { type: 'tool-call-delta', index: 0, id: 'c', name: 'f', argumentsDelta: '{"a":1}' },
      { type: 'tool-call', toolCall: call },
    ]);
    expect(tracker.whole(call)[0]).toMatchObject({ index: 1 });
  });
});
