import type { ChatRequest, ChatResult, JudgeContext, RouteDecision } from '@forge1/core';

/** What a verifier reads: the answer, the request, the decision and the gateway's judge context. */
export interface VerifierInput {
  result: ChatResult;
  request: ChatRequest;
  decision: RouteDecision;
  /** The last user message's text. */
  question: string;
  /** Lends `complete` for verifiers that ask a model; absent outside the gateway. */
  judgeContext?: JudgeContext;
}

/** A weakness a verifier found: how much confidence it costs (0..1) and why. */
export interface VerifierFinding {
  penalty: number;
  reason: string;
}

/**
 * Checks one aspect of an answer. Returns a finding when the answer fails the check, nothing when
 * it passes or the check does not apply. May be async; a throw or rejection is reported in the
 * verdict's reasons and never fails the request.
 */
export interface Verifier {
  /** Named in the verdict's reasons. */
  readonly name: string;
  verify(input: VerifierInput): VerifierFinding | undefined | Promise<VerifierFinding | undefined>;
}
