import { asRecord } from '../provider-utils/records.js';
import type { Answer } from './answers.js';
import { formatGoDuration } from './durations.js';
import { type EmulatorToolChoice, recordsOf, textOf, toEmulatorRequest } from './emulator-request.js';
import { dataFrame, retryAfterSeconds, splitJson, splitText } from './frames.js';
import { mediaOfUrl, mediaTokens } from './media-tokens.js';
import type { ProviderWire, ResponseContext, StreamFrame, WireError } from './wire.js';

const error = (status: number, message: string, type: string, param: string | null, code: string | null) => ({
  status,
  body: { error: { message, type, param, code } },
});

const serverErrors: Record<number, string> = {
  500: 'The server had an error while processing your request. Sorry about that!',
  502: 'Bad gateway.',
  503: 'The server is overloaded or not ready yet.',
  504: 'Gateway timeout. Please try again.',
  529: 'The engine is currently overloaded, please try again later.',
};

const finishReasons: Record<Answer['finish'], string> = {
  stop: 'stop',
  stop_sequence: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
};

const rateLimitMessage = (
  model: string,
  kind: 'requests' | 'tokens',
  limit: number,
  used: number,
  requested: number,
  retryMs: number,
) =>
  `Rate limit reached for ${model} in organization org-emulator on ${kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)'}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${formatGoDuration(retryMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;

function parseToolChoice(value: unknown): EmulatorToolChoice {
  if (value === 'none' || value === 'required') return value;
  const name = asRecord(asRecord(value)?.function)?.name;
  return typeof name === 'string' ? { name } : 'auto';
}

// Image and file parts of a chat completions message.
function partTokens(part: Record<string, unknown>): number {
  if (part.type === 'image_url') {
    const image = asRecord(part.image_url);
    return mediaTokens('openai', mediaOfUrl(image?.url, image?.detail));
  }
  if (part.type === 'file') return mediaTokens('openai', mediaOfUrl(asRecord(part.file)?.file_data));
  return 0;
}

// Developer messages are OpenAI's newer system messages.
function roleOf(role: unknown) {
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'user') return 'user';
  return role === 'tool' ? 'tool' : 'assistant';
}

// As recorded: `completion_tokens` includes the reasoning tokens its details break out.
function usageOf(answer: Answer, context: ResponseContext) {
  const completion = answer.outputTokens + answer.reasoningTokens;
  return {
    prompt_tokens: context.inputTokens,
    completion_tokens: completion,
    total_tokens: context.inputTokens + completion,
    prompt_tokens_details: { cached_tokens: context.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: answer.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const toolCallsOf = (answer: Answer) =>
  answer.toolCalls.map((call) => ({
    id: `call_${call.id}`,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));

/** OpenAI chat completions: `POST /v1/chat/completions`, Bearer auth. */
export const openaiWire: ProviderWire = {
  provider: 'openai',

  readKey(headers) {
    const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
    return match?.[1]?.trim() || undefined;
  },

  parse(raw) {
    const body = asRecord(raw) ?? {};
    if (typeof body.model !== 'string' || body.model === '') {
      return error(400, 'you must provide a model parameter', 'invalid_request_error', null, null);
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return error(
        400,
        "Missing required parameter: 'messages'.",
        'invalid_request_error',
        'messages',
        'missing_required_parameter',
      );
    }
    const format = asRecord(body.response_format);
    const json =
      format?.type === 'json_object'
        ? {}
        : format?.type === 'json_schema'
          ? { schema: asRecord(format.json_schema)?.schema }
          : undefined;
    return toEmulatorRequest({
      provider: 'openai',
      model: body.model,
      stream: body.stream === true,
      includeUsage: asRecord(body.stream_options)?.include_usage === true,
      turns: recordsOf(body.messages).map((message) => ({
        role: roleOf(message.role),
        text: textOf(message.content),
        extraChars: Array.isArray(message.tool_calls) ? JSON.stringify(message.tool_calls).length : 0,
        toolResult: message.role === 'tool',
        mediaTokens: recordsOf(message.content).reduce((sum, part) => sum + partTokens(part), 0),
      })),
      toolsField: body.tools,
      tools: recordsOf(body.tools).map((entry) => {
        const definition = asRecord(entry.function);
        return {
          name: definition?.name,
          description: definition?.description,
          schema: definition?.parameters,
        };
      }),
      toolChoice: parseToolChoice(body.tool_choice),
      stop: body.stop,
      maxTokens: body.max_completion_tokens ?? body.max_tokens,
      ...(json ? { json } : {}),
      ...(typeof body.reasoning_effort === 'string' ? { reasoning: { effort: body.reasoning_effort } } : {}),
    });
  },

  headers({ requestId, rateLimit }) {
    const headers: Record<string, string> = {
      'x-request-id': `req_${requestId}`,
      'openai-version': '2020-10-01',
      'openai-processing-ms': '1',
    };
    for (const dimension of ['requests', 'tokens'] as const) {
      const state = rateLimit[dimension];
      if (!state) continue;
      headers[`x-ratelimit-limit-${dimension}`] = String(state.limit);
      headers[`x-ratelimit-remaining-${dimension}`] = String(state.remaining);
      headers[`x-ratelimit-reset-${dimension}`] = formatGoDuration(state.resetMs);
    }
    return headers;
  },

  missingKey: () =>
    error(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
      null,
      null,
    ),

  invalidKey: () =>
    error(
      401,
      'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.',
      'invalid_request_error',
      null,
      'invalid_api_key',
    ),

  notFound: (method, path) =>
    error(404, `Invalid URL (${method} ${path})`, 'invalid_request_error', null, null),

  invalidJson: () =>
    error(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      'invalid_request_error',
      null,
      null,
    ),

  contextLength(request, inputTokens, contextWindow) {
    const message =
      request.maxTokens !== undefined && inputTokens <= contextWindow
        ? `This model's maximum context length is ${contextWindow} tokens. However, you requested ${inputTokens + request.maxTokens} tokens (${inputTokens} in the messages, ${request.maxTokens} in the completion). Please reduce the length of the messages or completion.`
        : `This model's maximum context length is ${contextWindow} tokens. However, your messages resulted in ${inputTokens} tokens. Please reduce the length of the messages.`;
    return error(400, message, 'invalid_request_error', 'messages', 'context_length_exceeded');
  },

  rateLimited(refusal, request, context): WireError {
    if (!Number.isFinite(refusal.retryAfterMs)) {
      return error(
        429,
        `Request too large for ${request.model} in organization org-emulator on tokens per min (TPM): Limit ${refusal.limit}, Requested ${refusal.requested}. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        'tokens',
        null,
        'rate_limit_exceeded',
      );
    }
    const message = rateLimitMessage(
      request.model,
      refusal.kind,
      refusal.limit,
      refusal.used,
      refusal.requested,
      refusal.retryAfterMs,
    );
    return {
      ...error(429, message, refusal.kind, null, 'rate_limit_exceeded'),
      headers: { 'retry-after': String(retryAfterSeconds(refusal.retryAfterMs, context.windowMs)) },
    };
  },

  faultStatus(status, request, retrySeconds) {
    if (status === 429) {
      const seconds = retrySeconds ?? 1;
      return {
        ...error(
          429,
          rateLimitMessage(request.model, 'requests', 1, 1, 1, seconds * 1000),
          'requests',
          null,
          'rate_limit_exceeded',
        ),
        headers: { 'retry-after': String(seconds) },
      };
    }
    const result: WireError = error(
      status,
      serverErrors[status] ?? serverErrors[500] ?? '',
      'server_error',
      null,
      null,
    );
    if (retrySeconds !== undefined) result.headers = { 'retry-after': String(retrySeconds) };
    return result;
  },

  body(answer, request, context) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: answer.toolCalls.length > 0 ? null : answer.text,
      refusal: null,
      annotations: [],
    };
    if (answer.toolCalls.length > 0) message.tool_calls = toolCallsOf(answer);
    return {
      id: `chatcmpl-${context.requestId}`,
      object: 'chat.completion',
      created: Math.floor(context.now / 1000),
      model: request.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasons[answer.finish] }],
      usage: usageOf(answer, context),
      service_tier: 'default',
      system_fingerprint: 'fp_emulator',
    };
  },

  stream(answer, request, context) {
    const base = {
      id: `chatcmpl-${context.requestId}`,
      object: 'chat.completion.chunk',
      created: Math.floor(context.now / 1000),
      model: request.model,
      service_tier: 'default',
      system_fingerprint: 'fp_emulator',
    };
    const usageNull = request.includeUsage ? { usage: null } : {};
    const chunk = (delta: unknown, finish: string | null = null) =>
      dataFrame({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...usageNull,
      });
    const frames: StreamFrame[] = [];
    const call = answer.toolCalls[0];
    if (call) {
      frames.push({
        data: chunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: `call_${call.id}`,
              type: 'function',
              function: { name: call.name, arguments: '' },
            },
          ],
          refusal: null,
        }),
        outputChars: call.name.length,
      });
      for (const fragment of splitJson(call.arguments)) {
        frames.push({
          data: chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] }),
          outputChars: fragment.length,
        });
      }
    } else {
      frames.push({ data: chunk({ role: 'assistant', content: '', refusal: null }), outputChars: 0 });
      for (const piece of splitText(answer.text))
        frames.push({ data: chunk({ content: piece }), outputChars: piece.length });
    }
    frames.push({ data: chunk({}, finishReasons[answer.finish]), outputChars: 0 });
    if (request.includeUsage) {
      frames.push({
        data: dataFrame({ ...base, choices: [], usage: usageOf(answer, context) }),
        outputChars: 0,
      });
    }
    frames.push({ data: 'data: [DONE]\n\n', outputChars: 0 });
    return frames;
  },

  errorBody: (error) => error.body,

  streamError(status) {
    const type = status === 429 ? 'rate_limit_exceeded' : 'server_error';
    const message =
      status === 429
        ? 'Rate limit reached. Please try again in 1s.'
        : (serverErrors[status] ?? serverErrors[500]);
    return dataFrame({
      error: { message, type, param: null, code: status === 429 ? 'rate_limit_exceeded' : null },
    });
  },
};
