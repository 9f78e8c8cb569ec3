import { type ChatResult, type JudgeContext, ProviderTimeoutError } from '@forge1/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLlmJudge } from './llm-judge.js';
import { verifierInput } from './test-input.js';

const reply = (text: string) => ({ text, toolCalls: [], finishReason: 'stop' }) as unknown as ChatResult;
const judgeWith = (complete: JudgeContext['complete']) => ({ complete }) as JudgeContext;
const cheap = { provider: 'openai', model: 'gpt-5-nano' };
const input = (context?: JudgeContext) =>
  verifierInput('12 × 7 = 86, so she has 86 pens.', 'She has 12 packs of 7 pens. How many pens?', {
    ...(context ? { judgeContext: context } : {}),
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('LLM judge', () => {
  it('asks the configured model through the judge context, with the question, the answer and the timeout', async () => {
    const complete = vi.fn(async () => reply('VERDICT: WRONG 12 × 7 is 84, not 86.'));
    const finding = await createLlmJudge({ model: cheap, timeoutMs: 1500 }).verify(
      input(judgeWith(complete)),
    );
    expect(finding).toEqual({ penalty: 0.6, reason: 'judged wrong: 12 × 7 is 84, not 86.' });
    const [ref, request, options] = complete.mock.calls[0] as unknown as Parameters<JudgeContext['complete']>;
    expect(ref).toEqual(cheap);
    expect(JSON.stringify(request.messages)).toContain('How many pens?');
    expect(JSON.stringify(request.messages)).toContain('so she has 86 pens');
    expect(options).toEqual({ timeoutMs: 1500 });
  });

  it('keeps an answer the judge calls correct', async () => {
    const context = judgeWith(async () => reply('VERDICT: CORRECT the sum checks out.'));
    expect(await createLlmJudge({ model: cheap }).verify(input(context))).toBeUndefined();
  });

  it('costs no confidence when the judge fails, answers unreadably or is absent', async () => {
    const failing = judgeWith(async () => {
      throw new ProviderTimeoutError('slow', { provider: 'openai' });
    });
    const judge = createLlmJudge({ model: cheap });
    expect(await judge.verify(input(failing))).toEqual({
      penalty: 0,
      reason: 'no verdict (provider_timeout)',
    });
    expect(await judge.verify(input(judgeWith(async () => reply('Looks fine to me'))))).toEqual({
      penalty: 0,
      reason: 'unreadable verdict',
    });
    expect(await judge.verify(input())).toBeUndefined();
  });

  it('gives up at its timeout even when the call does not return', async () => {
    vi.useFakeTimers();
    const hanging = judgeWith(() => new Promise<ChatResult>(() => {}));
    const pending = createLlmJudge({ model: cheap, timeoutMs: 2000 }).verify(input(hanging));
    await vi.advanceTimersByTimeAsync(2000);
    expect(await pending).toEqual({ penalty: 0, reason: 'no verdict within 2000 ms' });
  });

  it('judges only the answers its filter accepts', async () => {
    const complete = vi.fn(async () => reply('VERDICT: WRONG'));
    const judge = createLlmJudge({ model: cheap, when: ({ question }) => question.includes('invoice') });
    expect(await judge.verify(input(judgeWith(complete)))).toBeUndefined();
    expect(complete).not.toHaveBeenCalled();
  });
});
