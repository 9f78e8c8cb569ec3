import { asRecord } from '../provider-utils/records.js';
import type { Answer } from './answers.js';
import {
  blockTokens,
  breakpointOf,
  cacheCreationOf,
  schemaInText,
  thinkingOf,
  usageOf,
} from './anthropic-parts.js';
import { formatRfc3339 } from './durations.js';
import {
  type EmulatorToolChoice,
  recordsOf,
  textOf,
  toEmulatorRequest,
  type WireTurn,
} from './emulator-request.js';
import { eventFrame, retryAfterSeconds, splitJson, splitText } from './frames.js';
import type { ProviderWire, ResponseContext, StreamFrame, WireError } from './wire.js';

const error = (status: number, type: string, message: string): WireError => ({
  status,
  body: { type: 'error', error: { type, message } },
});

const faultBodies: Record<number, [string, string]> = {
  500: ['api_error', 'Internal server error'],
  502: ['api_error', 'Bad gateway'],
  503: ['api_error', 'Service unavailable'],
  504: ['timeout_error', 'Request timeout'],
  529: ['overloaded_error', 'Overloaded'],
};

const stopReasons: Record<Answer['finish'], string> = {
  stop: 'end_turn',
  stop_sequence: 'stop_sequence',
  length: 'max_tokens',
  tool_calls: 'tool_use',
};

const requestIdOf = (id: string) => `req_011C${id}`;

const rateLimitMessage = (what: string, model: string) =>
  `This request would exceed your organization's rate limit of ${what} (org: emulator, model: ${model}). For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.`;

function parseToolChoice(value: unknown): EmulatorToolChoice {
  const choice = asRecord(value) ?? {};
  if (choice.type === 'none') return 'none';
  if (choice.type === 'any') return 'required';
  if (choice.type === 'tool' && typeof choice.name === 'string') return { name: choice.name };
  return 'auto';
}

const messageId = (context: ResponseContext) => `msg_01${context.requestId}`;
const signatureOf = (context: ResponseContext) =>
  Buffer.from(`emulator:${context.requestId}`).toString('base64');

/** Anthropic messages: `POST /v1/messages`, `x-api-key` auth, SSE with `event:` names. */
export const anthropicWire: ProviderWire = {
  provider: 'anthropic',

  // The 1.x SDK sends `Authorization: Bearer <key>`; older ones and curl send `x-api-key`.
  readKey(headers) {
    const value = headers['x-api-key'];
    if (typeof value === 'string' && value !== '') return value;
    return /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim() || undefined;
  },

  parse(raw) {
    const body = asRecord(raw) ?? {};
    if (typeof body.model !== 'string' || body.model === '')
      return error(400, 'invalid_request_error', 'model: Field required');
    if (typeof body.max_tokens !== 'number')
      return error(400, 'invalid_request_error', 'max_tokens: Field required');
    if (!Array.isArray(body.messages)) return error(400, 'invalid_request_error', 'messages: Field required');
    const turns: WireTurn[] = [{ role: 'system', text: textOf(body.system) }];
    for (const message of recordsOf(body.messages)) {
      const blocks = recordsOf(message.content);
      let extraChars = 0;
      let media = 0;
      for (const block of blocks) {
        if (block.type === 'tool_use') extraChars += JSON.stringify(block.input ?? {}).length;
        if (block.type === 'tool_result') extraChars += textOf(block.content).length;
        if (block.type === 'image' || block.type === 'document') media += blockTokens(block);
      }
      turns.push({
        role: message.role === 'user' ? 'user' : 'assistant',
        text:
          typeof message.content === 'string'
            ? message.content
            : textOf(blocks.filter((block) => block.type === 'text')),
        extraChars,
        toolResult: message.role === 'user' && blocks.some((block) => block.type === 'tool_result'),
        mediaTokens: media,
      });
    }
    const thinking = asRecord(body.thinking);
    const breakpoint = breakpointOf(body);
    const request = toEmulatorRequest({
      provider: 'anthropic',
      model: body.model,
      stream: body.stream === true,
      includeUsage: true,
      turns,
      toolsField: body.tools,
      tools: recordsOf(body.tools).map((definition) => ({
        name: definition.name,
        description: definition.description,
        schema: definition.input_schema,
      })),
      toolChoice: parseToolChoice(body.tool_choice),
      stop: body.stop_sequences,
      maxTokens: body.max_tokens,
      ...(thinking?.type === 'enabled'
        ? { reasoning: { budget: Number(thinking.budget_tokens) || 1024 } }
        : {}),
      ...(breakpoint ? { cacheBreakpoint: breakpoint } : {}),
    });
    if (/\bjson\b/i.test(request.system)) request.json = { schema: schemaInText(request.system) };
    return request;
  },

  headers({ requestId, rateLimit, now }) {
    const headers: Record<string, string> = { 'request-id': requestIdOf(requestId) };
    const put = (name: string, state: typeof rateLimit.requests) => {
      if (!state) return;
      headers[`anthropic-ratelimit-${name}-limit`] = String(state.limit);
      headers[`anthropic-ratelimit-${name}-remaining`] = String(state.remaining);
      headers[`anthropic-ratelimit-${name}-reset`] = formatRfc3339(now + state.resetMs);
    };
    put('requests', rateLimit.requests);
    put('tokens', rateLimit.tokens);
    put('input-tokens', rateLimit.tokens);
    put('output-tokens', rateLimit.tokens);
    return headers;
  },

  missingKey: () => error(401, 'authentication_error', 'x-api-key header is required'),
  invalidKey: () => error(401, 'authentication_error', 'invalid x-api-key'),
  notFound: () => error(404, 'not_found_error', 'Not Found'),
  invalidJson: () =>
    error(400, 'invalid_request_error', 'There was an error parsing the body of your request.'),

  contextLength(request, inputTokens, contextWindow) {
    const maxTokens = request.maxTokens ?? 0;
    return error(
      400,
      'invalid_request_error',
      inputTokens > contextWindow
        ? `prompt is too long: ${inputTokens} tokens > ${contextWindow} maximum`
        : `input length and \`max_tokens\` exceed context limit: ${inputTokens} + ${maxTokens} > ${contextWindow}, decrease input length or \`max_tokens\` and try again`,
    );
  },

  rateLimited(refusal, request, context) {
    const what =
      refusal.kind === 'requests'
        ? `${refusal.limit} requests per minute`
        : `${refusal.limit.toLocaleString('en-US')} tokens per minute`;
    return {
      ...error(429, 'rate_limit_error', rateLimitMessage(what, request.model)),
      headers: { 'retry-after': String(retryAfterSeconds(refusal.retryAfterMs, context.windowMs)) },
    };
  },

  faultStatus(status, request, retrySeconds) {
    if (status === 429) {
      return {
        ...error(429, 'rate_limit_error', rateLimitMessage('1 requests per minute', request.model)),
        headers: { 'retry-after': String(retrySeconds ?? 1) },
      };
    }
    const [type, message] = faultBodies[status] ?? ['api_error', 'Internal server error'];
    const result = error(status, type, message);
    if (retrySeconds !== undefined) result.headers = { 'retry-after': String(retrySeconds) };
    return result;
  },

  body(answer, request, context) {
    const content: Record<string, unknown>[] =
      answer.toolCalls.length > 0
        ? answer.toolCalls.map((call) => ({
            type: 'tool_use',
            id: `toolu_01${call.id}`,
            name: call.name,
            input: call.args,
          }))
        : [{ type: 'text', text: answer.text }];
    if (answer.reasoningTokens > 0) {
      content.unshift({ type: 'thinking', thinking: thinkingOf(answer), signature: signatureOf(context) });
    }
    return {
      id: messageId(context),
      type: 'message',
      role: 'assistant',
      model: request.model,
      content,
      stop_reason: stopReasons[answer.finish],
      stop_sequence: answer.stopSequence ?? null,
      usage: {
        ...usageOf(answer, context),
        cache_creation: cacheCreationOf(context),
        service_tier: 'standard',
      },
    };
  },

  stream(answer, request, context) {
    const usage = usageOf(answer, context);
    const frames: StreamFrame[] = [
      {
        data: eventFrame('message_start', {
          type: 'message_start',
          message: {
            id: messageId(context),
            type: 'message',
            role: 'assistant',
            model: request.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              ...usage,
              cache_creation: cacheCreationOf(context),
              output_tokens: 1,
              service_tier: 'standard',
            },
          },
        }),
        outputChars: 0,
      },
    ];
    const push = (name: string, payload: unknown, outputChars = 0) =>
      frames.push({ data: eventFrame(name, payload), outputChars });
    let index = 0;
    if (answer.reasoningTokens > 0) {
      push('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      for (const piece of splitText(thinkingOf(answer), 12)) {
        const delta = { type: 'thinking_delta', thinking: piece };
        push('content_block_delta', { type: 'content_block_delta', index, delta }, piece.length);
      }
      const signature = { type: 'signature_delta', signature: signatureOf(context) };
      push('content_block_delta', { type: 'content_block_delta', index, delta: signature });
      push('content_block_stop', { type: 'content_block_stop', index });
      index = 1;
    }
    const call = answer.toolCalls[0];
    if (call) {
      push('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: `toolu_01${call.id}`, name: call.name, input: {} },
      });
      push('ping', { type: 'ping' });
      for (const fragment of ['', ...splitJson(call.arguments)]) {
        push(
          'content_block_delta',
          {
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: fragment },
          },
          fragment.length,
        );
      }
    } else {
      push('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      push('ping', { type: 'ping' });
      for (const piece of splitText(answer.text)) {
        push(
          'content_block_delta',
          { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
          piece.length,
        );
      }
    }
    push('content_block_stop', { type: 'content_block_stop', index });
    push('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasons[answer.finish], stop_sequence: answer.stopSequence ?? null },
      usage,
    });
    push('message_stop', { type: 'message_stop' });
    return frames;
  },

  // Error bodies carry the request id too (seen on real bodies since late 2025).
  errorBody(error, requestId) {
    const body = asRecord(error.body) ?? {};
    return body.request_id === undefined ? { ...body, request_id: requestIdOf(requestId) } : body;
  },

  streamError(status) {
    const [type, message] =
      status === 429
        ? ['rate_limit_error', 'Rate limited']
        : (faultBodies[status] ?? ['api_error', 'Internal server error']);
    return eventFrame('error', { type: 'error', error: { type, message } });
  },
};
