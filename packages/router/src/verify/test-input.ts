import type { ChatRequest, ChatResult, JudgeContext, RouteDecision } from '@forge1/core';
import type { VerifierInput } from './verifier.js';

/** A verifier input for tests: an answer text, the question and optional request fields. */
export function verifierInput(
  text: string,
  question = 'q',
  extra: { request?: Partial<ChatRequest>; result?: Partial<ChatResult>; judgeContext?: JudgeContext } = {},
): VerifierInput {
  return {
    result: {
      text,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      provider: 'openai',
      model: 'gpt-5-nano',
      latencyMs: 1,
      ...extra.result,
    } as ChatResult,
    request: { messages: [{ role: 'user', content: question }], ...extra.request },
    decision: { level: 'moderate' } as RouteDecision,
    question,
    ...(extra.judgeContext ? { judgeContext: extra.judgeContext } : {}),
  };
}
