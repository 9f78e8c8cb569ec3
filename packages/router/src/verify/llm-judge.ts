import {
  type ChatRequest,
  type Clock,
  type ModelRef,
  readOptions,
  systemClock,
  ValidationError,
} from '@forge1/core';
import type { Verifier, VerifierInput } from './verifier.js';

/** Options of {@link createLlmJudge}. */
export interface LlmJudgeOptions {
  /** The (cheap) model that checks answers. */
  model: ModelRef;
  /** Upper bound of the judge call, in milliseconds. @default 4000 */
  timeoutMs?: number;
  /** Confidence an answer loses when the judge calls it wrong. @default 0.6 */
  penalty?: number;
  /** Judge only the answers this accepts. @default every answer */
  when?: (input: VerifierInput) => boolean;
  /** Most characters of the question and of the answer sent to the judge. @default 6000 */
  maxChars?: number;
  /** Clock for the timeout. @default systemClock */
  clock?: Clock;
}

const instructions =
  'You check answers. Work the question out yourself, then compare. Reply with one line, ' +
  '"VERDICT: CORRECT" or "VERDICT: WRONG", followed by one short sentence saying why.';

const clip = (text: string, most: number) => (text.length > most ? `${text.slice(0, most)}…` : text);

/**
 * A verifier that asks a model whether the answer is right, through the gateway's judge context
 * (`judgeContext.complete`: its own metered attempt). Bounded by `timeoutMs`; a timeout, an error
 * or an unreadable verdict costs no confidence and is noted in the reasons, so the judge never
 * fails or delays a request beyond its bound. Without a judge context (outside the gateway) it
 * does nothing.
 */
export function createLlmJudge(input: LlmJudgeOptions): Verifier {
  const options = readOptions(input, 'createLlmJudge');
  const { model } = options;
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.model !== 'string' ||
    typeof model.provider !== 'string'
  ) {
    throw new ValidationError('createLlmJudge options', [
      { path: 'model', message: 'expected a model reference { provider, model }' },
    ]);
  }
  const timeoutMs = options.timeoutMs ?? 4000;
  const penalty = options.penalty ?? 0.6;
  const most = options.maxChars ?? 6000;
  const clock = options.clock ?? systemClock;
  return {
    name: `llm-judge ${options.model.model}`,
    async verify(input) {
      const context = input.judgeContext;
      if (!context || input.result.text.trim().length === 0) return undefined;
      if (options.when && !options.when(input)) return undefined;
      const request: ChatRequest = {
        messages: [
          { role: 'system', content: instructions },
          {
            role: 'user',
            content: `Question:\n${clip(input.question, most)}\n\nAnswer to check:\n${clip(input.result.text, most)}`,
          },
        ],
        maxTokens: 300,
        temperature: 0,
      };
      let timer: unknown;
      const expired = new Promise<'timeout'>((resolve) => {
        timer = clock.setTimeout(() => resolve('timeout'), timeoutMs, { background: true });
      });
      try {
        const outcome = await Promise.race([
          context.complete(options.model, request, { timeoutMs }),
          expired,
        ]);
        if (outcome === 'timeout') return { penalty: 0, reason: `no verdict within ${timeoutMs} ms` };
        const verdict = /VERDICT:\s*\**\s*(CORRECT|WRONG|INCORRECT)\b\**[\s.:,-]*(.*)/i.exec(outcome.text);
        if (!verdict) return { penalty: 0, reason: 'unreadable verdict' };
        if (verdict[1]!.toUpperCase() === 'CORRECT') return undefined;
        const why = clip(verdict[2]!.trim().split('\n')[0] ?? '', 120);
        return { penalty, reason: `judged wrong${why ? `: ${why}` : ''}` };
      } catch (error) {
        const code =
          typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
        return { penalty: 0, reason: `no verdict (${code})` };
      } finally {
        clock.clearTimeout(timer);
      }
    },
  };
}
