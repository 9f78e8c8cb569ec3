import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from './answers.js';
import { estimateDifficulty, tierOf } from './difficulty.js';
import type { EmulatorRequest } from './emulator-request.js';

const request = (lastUserText: string, overrides: Partial<EmulatorRequest> = {}): EmulatorRequest => ({
  provider: 'openai',
  model: 'gpt-4.1',
  stream: false,
  includeUsage: false,
  system: '',
  lastUserText,
  afterToolResult: false,
  inputChars: lastUserText.length,
  mediaTokens: 0,
  tools: [],
  toolChoice: 'auto',
  stop: [],
  ...overrides,
});

const hard =
  'Analyse this security incident: compare the breach timeline with our compliance audit and design a remediation.\n```\nERROR auth failed\n```';

describe('estimateDifficulty', () => {
  it('rates a greeting easy and an incident analysis with logs hard', () => {
    expect(estimateDifficulty('hi there')).toBeLessThan(0.1);
    expect(estimateDifficulty(hard)).toBeGreaterThanOrEqual(0.8);
  });

  it('rises with analytic verbs, high-stakes topics and code', () => {
    const plain = estimateDifficulty('tell me about our service');
    const analytic = estimateDifficulty('compare and analyse our service');
    const stakes = estimateDifficulty('compare and analyse our service after the breach');
    const code = estimateDifficulty(
      'compare and analyse our service after the breach\nTraceback (most recent call last)',
    );
    expect(plain).toBeLessThan(analytic);
    expect(analytic).toBeLessThan(stakes);
    expect(stakes).toBeLessThan(code);
  });
});

describe('tierOf', () => {
  it('reads the catalog and infers unknown ids from their names', () => {
    expect(tierOf('gpt-4o-mini')).toBe('small');
    expect(tierOf('claude-opus-4-6')).toBe('advanced');
    expect(tierOf('acme-nano-2')).toBe('small');
    expect(tierOf('acme-large')).toBe('standard');
  });
});

describe('createAnswerEngine', () => {
  const engine = createAnswerEngine({ seed: 1 });

  it('gives the same answer for the same prompt, model and seed, and another for another seed', () => {
    const first = engine.answer(request('How do kettles work?'));
    expect(engine.answer(request('How do kettles work?'))).toEqual(first);
    expect(createAnswerEngine({ seed: 1 }).answer(request('How do kettles work?'))).toEqual(first);
    expect(createAnswerEngine({ seed: 2 }).answer(request('How do kettles work?')).text).not.toBe(first.text);
  });

  it('makes a small model hedge on a hard prompt while a capable one answers confidently and at length', () => {
    const small = engine.answer(request(hard, { model: 'gpt-4.1-nano' }));
    const capable = engine.answer(request(hard, { model: 'gpt-4.1' }));
    expect(small.hedged).toBe(true);
    expect(small.text).toMatch(/not sure|not certain|hard to say/i);
    expect(capable.hedged).toBe(false);
    expect(capable.text).not.toMatch(/not sure|not certain|hard to say/i);
    expect(capable.outputTokens).toBeGreaterThan(small.outputTokens * 3);
  });

  it('lets a small model answer an easy prompt without hedging', () => {
    expect(engine.answer(request('What is a kettle?', { model: 'gpt-4.1-nano' })).hedged).toBe(false);
  });

  it('writes longer confident answers for harder prompts', () => {
    const easy = engine.answer(request('What is a kettle?', { model: 'claude-opus-4-6' }));
    const tough = engine.answer(request(hard, { model: 'claude-opus-4-6' }));
    expect(tough.outputTokens).toBeGreaterThan(easy.outputTokens * 2);
  });

  it('cuts at the earliest stop sequence and at max tokens', () => {
    const stopped = engine.answer(request('What is a kettle?', { stop: ['kettle', 'clear'] }));
    expect(stopped).toMatchObject({ finish: 'stop_sequence', stopSequence: 'clear', text: 'Here is a ' });
    const truncated = engine.answer(request('What is a kettle?', { maxTokens: 3 }));
    expect(truncated).toMatchObject({ finish: 'length', outputTokens: 3 });
    expect(truncated.text).toHaveLength(12);
  });

  it('calls a tool when one is required, named in the prompt or forced, but not after a tool result or with none', () => {
    const tools = [
      { name: 'search', schema: { type: 'object', properties: { query: { type: 'string' } } } },
      {
        name: 'lookup_order',
        schema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      },
    ];
    expect(engine.answer(request('hello', { tools })).toolCalls).toEqual([]);
    expect(engine.answer(request('hello', { tools, toolChoice: 'required' })).toolCalls[0]?.name).toBe(
      'search',
    );
    expect(engine.answer(request('please lookup_order 7', { tools })).toolCalls[0]?.name).toBe(
      'lookup_order',
    );
    expect(
      engine.answer(request('hello', { tools, toolChoice: { name: 'lookup_order' } })).toolCalls[0]?.name,
    ).toBe('lookup_order');
    expect(
      engine.answer(request('please lookup_order 7', { tools, afterToolResult: true })).toolCalls,
    ).toEqual([]);
    expect(engine.answer(request('please lookup_order 7', { tools, toolChoice: 'none' })).toolCalls).toEqual(
      [],
    );
    const call = engine.answer(request('hello', { tools, toolChoice: { name: 'lookup_order' } }));
    expect(call.finish).toBe('tool_calls');
    expect(Number.isInteger((JSON.parse(call.toolCalls[0]?.arguments ?? '{}') as { id: number }).id)).toBe(
      true,
    );
  });

  it('answers valid JSON in JSON mode, with or without a schema', () => {
    const free = JSON.parse(engine.answer(request('What is a kettle?', { json: {} })).text);
    expect(typeof free.answer).toBe('string');
    const shaped = JSON.parse(
      engine.answer(
        request('What is a kettle?', {
          json: { schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        }),
      ).text,
    );
    expect(typeof shaped.ok).toBe('boolean');
  });
});
