import type { ChatChunk, ChatRequest } from '../chat.js';
import type { RequestContext } from '../context.js';
import { ErrorCode, Forge1Error, toForge1Error, ValidationError } from '../errors.js';
import type { MiddlewareHook, RequestMode } from '../events.js';
import type { RouteDecision } from '../ports/router.js';
import type { TenantPolicy } from '../tenancy.js';
import type { Emit } from './emit.js';
import type {
  AttemptOutcome,
  ChunkOutput,
  GatewayMiddleware,
  MiddlewareAttempt,
  MiddlewareContext,
  RequestOutcome,
} from './middleware.js';
import type { GatewayResult } from './types.js';

/** What a request's middleware run needs to know of the request. */
export interface MiddlewareRequest {
  context: RequestContext;
  policy: TenantPolicy;
  mode: RequestMode;
  signal: AbortSignal | undefined;
  /** Read when a hook asks for the decision. */
  decision(): RouteDecision | undefined;
}

/** The middleware of one request: contexts, state and annotations, and the hooks in their order. */
export interface MiddlewareRun {
  transformRequest(request: ChatRequest): Promise<ChatRequest>;
  wrapAttempt(attempt: MiddlewareAttempt, core: () => Promise<AttemptOutcome>): Promise<AttemptOutcome>;
  /** Passes a chunk through every `transformChunk` (flushing before a `finish`), calling `out` per chunk. */
  pipe(chunk: ChatChunk, out: (chunk: ChatChunk) => void): void;
  onResult(outcome: RequestOutcome): Promise<GatewayResult | undefined>;
  /** The annotations added since the last call. */
  takeAnnotations(): Record<string, number> | undefined;
  /** Whether a hook threw this error (a refusal ends the request: no other key or provider). */
  isRefusal(error: unknown): boolean;
}

const isPromise = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null | undefined)?.then === 'function';
const isList = (output: ChunkOutput): output is readonly ChatChunk[] => Array.isArray(output);
const toList = (output: ChunkOutput, chunk: ChatChunk): readonly ChatChunk[] =>
  output === undefined ? [chunk] : isList(output) ? output : [output];

/** Starts the middleware of one request. */
export function startMiddleware(
  list: readonly GatewayMiddleware<unknown>[],
  request: MiddlewareRequest,
  emit: Emit,
): MiddlewareRun {
  const { context } = request;
  let annotations: Record<string, number> | undefined;
  // Created on the first refusal: most requests have none.
  let reported: WeakSet<object> | undefined;
  const contexts: MiddlewareContext<unknown>[] = list.map((middleware) => ({
    requestId: context.requestId,
    tenantId: context.tenantId,
    mode: request.mode,
    context,
    policy: request.policy,
    get decision() {
      return request.decision();
    },
    signal: request.signal,
    state: middleware.createState ? middleware.createState() : {},
    annotate(name: string, count: number) {
      if (
        typeof name !== 'string' ||
        name.length === 0 ||
        name.length > 100 ||
        !Number.isSafeInteger(count) ||
        count < 0
      ) {
        throw new ValidationError('annotation', [
          { path: 'annotate', message: 'expected a name of 1-100 characters and a non-negative integer' },
        ]);
      }
      annotations ??= {};
      annotations[name] = (annotations[name] ?? 0) + count;
    },
  }));

  // A thrown error is the refusal the caller receives; reported once, by the hook that threw it.
  const refuse = (index: number, hook: MiddlewareHook, thrown: unknown): Forge1Error => {
    const error = toForge1Error(thrown);
    reported ??= new WeakSet<object>();
    if (!reported.has(error)) {
      reported.add(error);
      emit('middleware.refused', {
        requestId: context.requestId,
        tenantId: context.tenantId,
        middleware: list[index]!.name,
        hook,
        errorCode: error.code,
      });
    }
    return error;
  };

  function through(index: number, chunk: ChatChunk, out: (chunk: ChatChunk) => void): void {
    if (index === list.length) {
      out(chunk);
      return;
    }
    const middleware = list[index]!;
    const scope = contexts[index]!;
    let output: ChunkOutput;
    try {
      if (chunk.type === 'finish' && middleware.flush) {
        for (const held of middleware.flush(scope) ?? []) through(index + 1, held, out);
      }
      output = middleware.transformChunk ? middleware.transformChunk(chunk, scope) : undefined;
    } catch (error) {
      throw refuse(index, middleware.transformChunk ? 'transformChunk' : 'flush', error);
    }
    for (const next of toList(output, chunk)) through(index + 1, next, out);
  }

  function wrapFrom(
    index: number,
    attempt: MiddlewareAttempt,
    core: () => Promise<AttemptOutcome>,
  ): Promise<AttemptOutcome> {
    while (index < list.length && !list[index]!.wrapAttempt) index++;
    return index < list.length ? wrapAt(index, attempt, core) : core();
  }

  // One hook around the rest of the chain: what it throws or rejects with, and a hook that never
  // called next(), are its refusal. An async function: one promise per hook and attempt.
  async function wrapAt(
    index: number,
    attempt: MiddlewareAttempt,
    core: () => Promise<AttemptOutcome>,
  ): Promise<AttemptOutcome> {
    const middleware = list[index]!;
    let called: Promise<AttemptOutcome> | undefined;
    const next = () => {
      called ??= wrapFrom(index + 1, attempt, core);
      return called;
    };
    let outcome: AttemptOutcome;
    try {
      outcome = await middleware.wrapAttempt!(attempt, next, contexts[index]!);
    } catch (error) {
      throw refuse(index, 'wrapAttempt', error);
    }
    if (!called) {
      const error = new Forge1Error(ErrorCode.internal, `middleware ${middleware.name} did not call next()`);
      throw refuse(index, 'wrapAttempt', error);
    }
    return outcome;
  }

  return {
    async transformRequest(chatRequest) {
      let current = chatRequest;
      for (let index = 0; index < list.length; index++) {
        const hook = list[index]!.transformRequest;
        if (!hook) continue;
        let changed: ChatRequest | undefined;
        try {
          // A hook that answers synchronously (most do) is not awaited: no turn of the queue.
          const returned = hook.call(list[index], current, contexts[index]!);
          changed = isPromise(returned) ? await returned : returned;
        } catch (error) {
          throw refuse(index, 'transformRequest', error);
        }
        if (changed && changed !== current) {
          current = changed;
          emit('middleware.transformed', {
            requestId: context.requestId,
            tenantId: context.tenantId,
            middleware: list[index]!.name,
          });
        }
      }
      return current;
    },
    wrapAttempt: (attempt, core) => wrapFrom(0, attempt, core),
    pipe: (chunk, out) => through(0, chunk, out),
    async onResult(outcome) {
      let current = outcome;
      for (let index = list.length - 1; index >= 0; index--) {
        const hook = list[index]!.onResult;
        if (!hook) continue;
        try {
          const returned = hook.call(list[index], current, contexts[index]!);
          const changed = isPromise(returned) ? await returned : returned;
          if (current.ok && changed) current = { ok: true, result: changed };
        } catch (error) {
          const refusal = refuse(index, 'onResult', error);
          // An error outcome stays the caller's error; a refused result becomes the refusal.
          if (current.ok) current = { ok: false, error: refusal };
        }
      }
      if (current.ok) return current.result;
      if (outcome.ok || current.error !== outcome.error) throw current.error;
      return undefined;
    },
    isRefusal: (error) =>
      reported !== undefined && typeof error === 'object' && error !== null && reported.has(error),
    takeAnnotations() {
      const taken = annotations;
      annotations = undefined;
      return taken;
    },
  };
}
