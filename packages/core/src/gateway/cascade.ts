import type { ChatRequest, ChatResult } from '../chat.js';
import type {
  JudgeCallOptions,
  JudgeContext,
  ModelRef,
  RouteFeedback,
  RouterV1,
  Verdict,
} from '../ports/router.js';
import type { TokenEstimator } from '../tokens.js';
import { type Emit, emitSideError } from './emit.js';
import type { Engine } from './engine.js';
import { chatExecutor } from './executors.js';
import type { Prepared, Run } from './run.js';

/** What a served request hands back to be summarised. */
export interface Served {
  result: ChatResult;
  cascaded: boolean;
  fellBack: boolean;
}

/** What the chat driver works with. */
export interface CascadeDeps {
  router: RouterV1;
  engine: Engine;
  emit: Emit;
  estimator: TokenEstimator;
  attemptTimeoutMs: number;
}

/** The chat driver: the routed rung, then the ladder while the judge escalates. */
export function createCascade(deps: CascadeDeps) {
  const { router, engine, emit } = deps;

  const sideError = (run: Run, stage: 'feedback' | 'judge', thrown: unknown) =>
    emitSideError(emit, run.context, stage, thrown);

  /** Tells a learning router an outcome; a router that throws never breaks the request. */
  function feedback(run: Run, outcome: RouteFeedback) {
    if (!router.feedback) return;
    try {
      const returned: unknown = router.feedback(outcome);
      if (returned instanceof Promise) returned.catch((error: unknown) => sideError(run, 'feedback', error));
    } catch (error) {
      sideError(run, 'feedback', error);
    }
  }

  function judgeContext(run: Run, prepared: Prepared, rung: number): JudgeContext {
    return {
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      async complete(ref: ModelRef, request: ChatRequest, options?: JudgeCallOptions) {
        const { outcome } = await engine.attempt(
          run,
          {
            ref: { provider: ref.provider, model: ref.model },
            purpose: 'judge',
            rung,
            cascaded: rung > 0,
            fallback: false,
            request,
            estimate: deps.estimator(request),
            timeoutMs: options?.timeoutMs ?? deps.attemptTimeoutMs,
          },
          chatExecutor,
          prepared,
        );
        if (outcome.ok && outcome.result) return outcome.result;
        throw outcome.error;
      },
    };
  }

  async function judge(run: Run, prepared: Prepared, answer: ChatResult, from: ModelRef, rung: number) {
    let verdict: Verdict;
    try {
      verdict = await router.judge(
        answer,
        prepared.decision,
        prepared.request,
        judgeContext(run, prepared, rung),
      );
    } catch (error) {
      // A judge that fails leaves the answer in hand standing.
      if (run.signal?.aborted) throw error;
      sideError(run, 'judge', error);
      return undefined;
    }
    feedback(run, {
      requestId: run.context.requestId,
      tenantId: run.context.tenantId,
      outcome: { type: 'judged', score: verdict.escalate ? 0 : 1 },
      model: from,
      reasons: verdict.reasons,
    });
    return verdict;
  }

  return async function serveChat(run: Run, prepared: Prepared): Promise<Served> {
    const { ladder } = prepared.decision;
    const first = await engine.serveRung(run, prepared, prepared.decision, 0, chatExecutor);
    // No ladder (most decisions): nothing to judge, the first rung's answer is served.
    if (ladder.length === 0) return { result: first.result, cascaded: false, fellBack: first.fellBack };
    let best = { ...first, rung: 0 };
    for (let index = 1; index <= ladder.length; index++) {
      const next = ladder[index - 1]!;
      const verdict = await judge(run, prepared, best.result, best.ref, index - 1);
      if (!verdict?.escalate) break;
      emit('cascade', {
        requestId: run.context.requestId,
        tenantId: run.context.tenantId,
        from: { provider: best.result.provider, model: best.result.model },
        to: { provider: next.provider, model: next.model },
        reasons: verdict.reasons,
      });
      feedback(run, {
        requestId: run.context.requestId,
        tenantId: run.context.tenantId,
        outcome: { type: 'cascade', from: best.ref.model, to: next.model },
        model: best.ref,
        reasons: verdict.reasons,
      });
      try {
        best = { ...(await engine.serveRung(run, prepared, next, index, chatExecutor)), rung: index };
      } catch (error) {
        // A weak answer in hand beats an error from the stronger rung.
        if (!run.signal?.aborted && !run.middleware?.isRefusal(error)) break;
        throw error;
      }
    }
    return { result: best.result, cascaded: best.rung > 0, fellBack: best.fellBack };
  };
}
