import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerEngine } from './answers.js';
import type { CounterRecorder, CounterScope } from './counters.js';
import { contextWindowOf } from './difficulty.js';
import { type EmulatorEmbedRequest, embedBody, embedTokensOf, parseEmbedRequest } from './embeddings.js';
import { type EmulatorRequest, tokensOf } from './emulator-request.js';
import type { FaultInjector, FiredFault } from './faults.js';
import type { PromptCache } from './prompt-cache.js';
import { hashApiKey } from './random.js';
import type { RateLimiter } from './rate-limiter.js';
import { delay, type StreamEnding, sendError, sendJson, writeStream } from './responder.js';
import { matchRoute, wires } from './routes.js';
import type { ProviderWire, ResponseContext, StreamFrame, WireError } from './wire.js';

/** Everything a request handler shares with the emulator. */
export interface HandlerState {
  counters: CounterRecorder;
  limiter: RateLimiter;
  faults: FaultInjector;
  answers: AnswerEngine;
  promptCache: PromptCache;
  revoked: Set<string>;
  clock: { now(): number };
  windowMs: number;
  latencyMs: number;
  /** Aborts when the emulator closes, to end waits early. */
  signal: AbortSignal;
  nextRequestId(): string;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('the client closed the request before its body ended'));
    });
  });
}

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** Creates the HTTP handler: route, auth, faults, context length, rate limits, answer. */
export function createRequestHandler(state: HandlerState) {
  const { counters, clock } = state;

  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = state.nextRequestId();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const route = matchRoute(method, url, request.headers);
    const wire = wires[route.provider];
    const scope: CounterScope = { provider: route.provider };
    const headersFor = (rateLimit = {}) => wire.headers({ requestId, now: clock.now(), rateLimit });
    const fail = async (
      error: WireError,
      headers: Record<string, string>,
      field?: 'errors' | 'rateLimited',
    ) => {
      counters.add(scope, field ?? 'errors');
      await delay(state.latencyMs, state.signal, response);
      sendError(response, scope, error, wire.errorBody(error, requestId), headers);
    };
    const text = await readBody(request);

    if (!route.known) {
      counters.add(scope, 'requests');
      return fail(wire.notFound(method, url.pathname), headersFor());
    }
    const key = wire.readKey(request.headers, url);
    if (key !== undefined) scope.keyHash = hashApiKey(key);
    const json = parseJson(text);
    const parse = (value: unknown) =>
      route.embed ? parseEmbedRequest(value, route) : wire.parse(value, route);
    const parsed = json.ok ? parse(json.value) : wire.invalidJson();
    if ('status' in parsed) {
      counters.add(scope, 'requests');
      return fail(parsed, headersFor());
    }
    scope.model = parsed.model;
    counters.add(scope, 'requests');
    if (scope.keyHash === undefined) return fail(wire.missingKey(), headersFor());
    const keyHash = scope.keyHash;
    if (state.revoked.has(keyHash)) return fail(wire.invalidKey(), headersFor());

    const streaming = 'stream' in parsed && parsed.stream;
    const fault = state.faults.draw({
      provider: route.provider,
      model: parsed.model,
      keyHash,
      stream: streaming,
    });
    if (fault) {
      counters.add(scope, 'faults');
      if (fault.kind === 'status') {
        const error = wire.faultStatus(fault.status, parsed, fault.retryAfterSeconds);
        return fail(error, headersFor(state.limiter.peek(keyHash)));
      }
      if (fault.kind === 'drop' && !(fault.midStream && streaming)) {
        counters.add(scope, 'errors');
        request.socket.destroy();
        return;
      }
      if (fault.kind === 'slow') await delay(fault.delayMs, state.signal, response);
      if (response.destroyed) {
        counters.add(scope, 'aborted');
        return;
      }
    }

    if ('inputs' in parsed) return embed(response, wire, parsed, { requestId, scope, keyHash, fail });
    const inputTokens = tokensOf(parsed.inputChars) + parsed.mediaTokens;
    const contextWindow = contextWindowOf(parsed.model);
    const countsMaxTokens = route.provider !== 'google' && parsed.maxTokens !== undefined;
    if (
      inputTokens > contextWindow ||
      (countsMaxTokens && inputTokens + (parsed.maxTokens ?? 0) > contextWindow)
    ) {
      const error = wire.contextLength(parsed, inputTokens, contextWindow);
      return fail(error, headersFor(state.limiter.peek(keyHash)));
    }

    const answer = state.answers.answer(parsed);
    const allOutput = answer.outputTokens + answer.reasoningTokens;
    const admission = state.limiter.admit(keyHash, inputTokens + allOutput);
    const context: ResponseContext = {
      requestId,
      now: clock.now(),
      inputTokens,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      cacheTtl: parsed.cacheBreakpoint?.ttl ?? '5m',
      rateLimit: admission.state,
      windowMs: state.windowMs,
    };
    if (!admission.admitted) {
      const error = wire.rateLimited(admission, parsed, context);
      return fail(error, headersFor(admission.state), 'rateLimited');
    }
    if (parsed.cacheBreakpoint) {
      const prefixTokens = Math.min(inputTokens, tokensOf(parsed.cacheBreakpoint.prefix.length));
      const cached = state.promptCache.explicit(keyHash, parsed.cacheBreakpoint.prefix, prefixTokens);
      context.cachedInputTokens = cached.read;
      context.cacheWriteInputTokens = cached.write;
    } else if (route.provider !== 'anthropic') {
      // OpenAI and Gemini cache long prefixes on their own; Anthropic only at breakpoints.
      context.cachedInputTokens = state.promptCache.cachedTokens(keyHash, parsed.system, inputTokens);
    }
    // Thinking streams first, so the output of a cut stream is thinking before it is answer.
    const settle = (outputTokens: number) => {
      counters.add(scope, 'inputTokens', inputTokens);
      counters.add(scope, 'cachedInputTokens', context.cachedInputTokens);
      counters.add(scope, 'cacheWriteInputTokens', context.cacheWriteInputTokens);
      counters.add(scope, 'outputTokens', outputTokens);
      counters.add(scope, 'reasoningTokens', Math.min(outputTokens, answer.reasoningTokens));
    };
    const headers = headersFor(admission.state);

    if (!parsed.stream) {
      await delay(state.latencyMs, state.signal, response);
      if (response.destroyed) {
        counters.add(scope, 'aborted');
        return;
      }
      // Counted before the body leaves, so a client that reads the counters after its answer sees them.
      const body = JSON.stringify(wire.body(answer, parsed, context));
      if (fault?.kind === 'malformed') {
        counters.add(scope, 'errors');
        return sendJson(response, scope, 200, body.slice(0, Math.floor(body.length / 2)), headers);
      }
      counters.add(scope, 'ok');
      settle(allOutput);
      return sendJson(response, scope, 200, body, headers);
    }
    const jsonArray = route.provider === 'google' && route.sse === false;
    return stream(response, wire, parsed, fault, { answer, context, headers, scope, settle, jsonArray });
  };

  /** An embeddings answer: rate limits on its input tokens, then the vectors. */
  async function embed(
    response: ServerResponse,
    wire: ProviderWire,
    parsed: EmulatorEmbedRequest,
    run: {
      requestId: string;
      scope: CounterScope;
      keyHash: string;
      fail: (error: WireError, headers: Record<string, string>, field?: 'rateLimited') => Promise<void>;
    },
  ): Promise<void> {
    const inputTokens = embedTokensOf(parsed);
    const admission = state.limiter.admit(run.keyHash, inputTokens);
    const headers = wire.headers({ requestId: run.requestId, now: clock.now(), rateLimit: admission.state });
    if (!admission.admitted) {
      const context: ResponseContext = {
        requestId: run.requestId,
        now: clock.now(),
        inputTokens,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        cacheTtl: '5m',
        rateLimit: admission.state,
        windowMs: state.windowMs,
      };
      return run.fail(wire.rateLimited(admission, parsed, context), headers, 'rateLimited');
    }
    await delay(state.latencyMs, state.signal, response);
    if (response.destroyed) {
      counters.add(run.scope, 'aborted');
      return;
    }
    counters.add(run.scope, 'ok');
    counters.add(run.scope, 'inputTokens', inputTokens);
    sendJson(response, run.scope, 200, JSON.stringify(embedBody(parsed)), headers);
  }

  async function stream(
    response: ServerResponse,
    wire: ProviderWire,
    parsed: EmulatorRequest,
    fault: FiredFault | undefined,
    run: {
      answer: ReturnType<AnswerEngine['answer']>;
      context: ResponseContext;
      headers: Record<string, string>;
      scope: CounterScope;
      settle: (outputTokens: number) => void;
      jsonArray: boolean;
    },
  ): Promise<void> {
    const { scope, answer } = run;
    const frames = wire.stream(answer, parsed, run.context);
    if (run.jsonArray)
      return jsonArrayStream(response, wire, frames, fault, {
        ...run,
        outputTokens: answer.outputTokens + answer.reasoningTokens,
      });
    let ending: StreamEnding = { kind: 'complete' };
    if (fault?.kind === 'midStream') ending = { kind: 'error', frame: wire.streamError(fault.status ?? 500) };
    if (fault?.kind === 'malformed') ending = { kind: 'malformed' };
    if (fault?.kind === 'drop') ending = { kind: 'drop' };

    response.writeHead(200, {
      'content-type': parsed.provider === 'openai' ? 'text/event-stream; charset=utf-8' : 'text/event-stream',
      'cache-control': 'no-cache',
      ...run.headers,
    });
    // Providers send the headers at once; the first event may come later.
    response.flushHeaders();
    counters.add(scope, 'streams');
    let closedEarly = false;
    response.once('close', () => {
      if (!response.writableFinished) closedEarly = true;
    });
    const result = await writeStream(response, {
      frames,
      ending,
      latencyMs: state.latencyMs,
      signal: state.signal,
    });
    if (result.complete) {
      counters.add(scope, 'ok');
      run.settle(answer.outputTokens + answer.reasoningTokens);
      return;
    }
    if (ending.kind !== 'complete') counters.add(scope, 'errors');
    else if (closedEarly || response.destroyed) counters.add(scope, 'aborted');
    run.settle(Math.ceil(result.outputChars / 4));
  }

  /** Google's `streamGenerateContent` without `alt=sse`: the chunks as one JSON array. */
  async function jsonArrayStream(
    response: ServerResponse,
    wire: ProviderWire,
    frames: StreamFrame[],
    fault: FiredFault | undefined,
    run: {
      headers: Record<string, string>;
      scope: CounterScope;
      settle: (outputTokens: number) => void;
      outputTokens: number;
    },
  ): Promise<void> {
    await delay(state.latencyMs, state.signal, response);
    const { scope } = run;
    const chunks = frames.map((frame) => frame.data.slice('data: '.length).trimEnd());
    const half = Math.max(1, Math.floor(chunks.length / 2));
    if (fault?.kind === 'drop') {
      counters.add(scope, 'errors');
      response.socket?.destroy();
      return;
    }
    let body = `[${chunks.join(',\n')}]`;
    if (fault?.kind === 'midStream') {
      body = `[${[
        ...chunks.slice(0, half),
        wire
          .streamError(fault.status ?? 500)
          .slice('data: '.length)
          .trimEnd(),
      ].join(',\n')}]`;
    }
    if (fault?.kind === 'malformed') body = body.slice(0, Math.floor(body.length / 2));
    if (fault?.kind === 'midStream' || fault?.kind === 'malformed') {
      counters.add(scope, 'errors');
      run.settle(Math.ceil(frames.slice(0, half).reduce((sum, frame) => sum + frame.outputChars, 0) / 4));
    } else {
      counters.add(scope, 'ok');
      run.settle(run.outputTokens);
    }
    sendJson(response, scope, 200, body, run.headers);
  }
}
