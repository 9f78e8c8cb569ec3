import type { ChatChunk, Gateway } from '@forge1/core';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { type CallerResolver, isHttpError } from './caller.ts';
import type { CallerLimits } from './caller-limits.ts';
import { toChatAnswer, toChatCall, toClientChunk, toStreamSummary } from './chat-body.ts';
import { sendError } from './http-error.ts';
import { type BodyLimits, bodyRefusal, clientGone, readJsonBody } from './request-body.ts';

/** What the chat handler needs from the app. */
export interface ChatRouteOptions {
  gateway: Gateway;
  resolveCaller: CallerResolver;
  /** Turns an error into the error answer. */
  fail: (error: unknown, requestId?: string) => Response;
  /** Largest request body, and the time a client has to send it. */
  body: BodyLimits;
  /** Request rate and concurrent streams per caller. */
  limits: CallerLimits;
}

/**
 * POST /v1/chat: one gateway request. With `stream: true` the answer is Server-Sent Events: one
 * `data:` event per chunk, then `event: done` with the cost and usage, or `event: error`. Errors
 * before the first chunk are ordinary HTTP errors, so a client sees 429 or 503 with Retry-After.
 */
export function chatHandler(options: ChatRouteOptions) {
  const { gateway, resolveCaller, fail, body, limits } = options;
  return async (c: Context): Promise<Response> => {
    const caller = resolveCaller((name) => c.req.header(name));
    if (isHttpError(caller)) return sendError(caller);
    const limited = limits.admit(caller);
    if (limited) return sendError(limited);
    let call: ReturnType<typeof toChatCall>;
    try {
      call = toChatCall(await readJsonBody(c, body), caller, clientGone(c));
    } catch (error) {
      const refused = bodyRefusal(error);
      return refused ? sendError(refused) : fail(error, caller.requestId);
    }
    if (!call.stream) {
      try {
        const result = await gateway.chat(call.input);
        return c.json(toChatAnswer(result), 200, { 'x-request-id': result.requestId });
      } catch (error) {
        return fail(error, call.input.requestId);
      }
    }
    const ended = limits.openStream(caller);
    if (typeof ended !== 'function') return sendError(ended);
    const stream = gateway.stream(call.input);
    const iterator = stream[Symbol.asyncIterator]();
    let first: IteratorResult<ChatChunk>;
    try {
      first = await iterator.next();
    } catch (error) {
      ended();
      return fail(error, stream.requestId);
    }
    c.header('x-request-id', stream.requestId);
    return streamSSE(c, async (sse) => {
      sse.onAbort(ended);
      try {
        for (let step = first; !step.done; step = await iterator.next()) {
          await sse.writeSSE({ data: JSON.stringify(toClientChunk(step.value)) });
        }
        const result = await stream.final();
        await sse.writeSSE({ event: 'done', data: JSON.stringify(toStreamSummary(result)) });
      } catch (error) {
        const answer = await fail(error, stream.requestId).json();
        await sse.writeSSE({ event: 'error', data: JSON.stringify(answer) });
      } finally {
        ended();
      }
    });
  };
}
