import { describe, expect, it, vi } from 'vitest';
import { createEventBus, forge1EventNames } from './index.js';

const payload = { provider: 'openai', model: 'gpt-4.1' };

describe('createEventBus', () => {
  it('delivers typed payloads to listeners', () => {
    const events = createEventBus();
    const listener = vi.fn();
    events.on('circuit.open', listener);
    events.emit('circuit.open', payload);
    expect(listener).toHaveBeenCalledWith(payload);
  });

  it('keeps going when a listener throws, and reports the error as listener.error', () => {
    const events = createEventBus();
    const after = vi.fn();
    const reported = vi.fn();
    events.on('listener.error', reported);
    events.on('circuit.open', () => {
      throw new Error('boom');
    });
    events.on('circuit.open', after);
    expect(() => events.emit('circuit.open', payload)).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(reported).toHaveBeenCalledWith({
      event: 'circuit.open',
      error: expect.objectContaining({ message: 'boom' }),
    });
  });

  it('catches a listener that returns a rejected promise', async () => {
    const events = createEventBus();
    const reported = vi.fn();
    events.on('listener.error', reported);
    events.on('circuit.close', async () => {
      throw new Error('late');
    });
    events.emit('circuit.close', payload);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toHaveBeenCalledOnce();
  });

  it('survives a listener.error listener that throws too', () => {
    const events = createEventBus();
    events.on('listener.error', () => {
      throw new Error('worse');
    });
    events.on('circuit.open', () => {
      throw new Error('bad');
    });
    expect(() => events.emit('circuit.open', payload)).not.toThrow();
  });

  it('removes listeners with off, the returned function, and once', () => {
    const events = createEventBus();
    const a = vi.fn();
    const b = vi.fn();
    const c = vi.fn();
    events.on('circuit.open', a);
    const stop = events.on('circuit.open', b);
    events.once('circuit.open', c);
    events.off('circuit.open', a);
    stop();
    events.emit('circuit.open', payload);
    events.emit('circuit.open', payload);
    expect(a).not.toHaveBeenCalled();
    expect(b).not.toHaveBeenCalled();
    expect(c).toHaveBeenCalledOnce();
    expect(events.listenerCount('circuit.open')).toBe(0);
  });

  it('lists every event name', () => {
    expect(forge1EventNames).toContain('circuit.open');
    expect(forge1EventNames).toContain('budget.alert');
    expect(forge1EventNames).toContain('store.error');
    expect(new Set(forge1EventNames).size).toBe(forge1EventNames.length);
  });
});
