import { asRecord, asString } from '../provider-utils/records.js';
import type { Answer } from './answers.js';
import {
  type EmulatorToolChoice,
  recordsOf,
  stringList,
  textOf,
  toEmulatorRequest,
  type WireTurn,
} from './emulator-request.js';
import { dataFrame, splitText } from './frames.js';
import { mediaTokens } from './media-tokens.js';
import type { ProviderWire, ResponseContext, StreamFrame, WireError } from './wire.js';

const statusNames: Record<number, [string, string]> = {
  500: [
    'INTERNAL',
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  ],
  502: ['UNAVAILABLE', 'The service is currently unavailable.'],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
  529: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
};

const error = (code: number, status: string, message: string, details?: unknown[]): WireError => ({
  status: code,
  body: { error: { code, message, status, ...(details ? { details } : {}) } },
});

const finishReasons: Record<Answer['finish'], string> = {
  stop: 'STOP',
  stop_sequence: 'STOP',
  length: 'MAX_TOKENS',
  tool_calls: 'STOP',
};

const quotas = {
  requests: {
    metric: 'generativelanguage.googleapis.com/generate_content_paid_tier_requests',
    id: 'GenerateRequestsPerMinutePerProjectPerModel',
  },
  tokens: {
    metric: 'generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count',
    id: 'GenerateContentPaidTierInputTokensPerModelPerMinute',
  },
};

/** The real RESOURCE_EXHAUSTED body: Help, QuotaFailure and RetryInfo (whole seconds; the fraction only in the message). */
function resourceExhausted(
  kind: 'requests' | 'tokens',
  limit: number,
  model: string,
  retryMs: number,
): WireError {
  const quota = quotas[kind];
  const message = `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded for metric: ${quota.metric}, limit: ${limit}, model: ${model}\nPlease retry in ${Number((retryMs / 1000).toFixed(6))}s.`;
  return error(429, 'RESOURCE_EXHAUSTED', message, [
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: quota.metric,
          quotaId: quota.id,
          quotaDimensions: { location: 'global', model },
          quotaValue: String(limit),
        },
      ],
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.floor(retryMs / 1000)}s` },
  ]);
}

function parseToolChoice(value: unknown): EmulatorToolChoice {
  const config = asRecord(asRecord(value)?.functionCallingConfig) ?? {};
  const mode = typeof config.mode === 'string' ? config.mode.toUpperCase() : 'AUTO';
  if (mode === 'NONE') return 'none';
  if (mode === 'ANY') {
    const allowed = stringList(config.allowedFunctionNames);
    return allowed.length === 1 && allowed[0] ? { name: allowed[0] } : 'required';
  }
  return 'auto';
}

// As recorded: thoughts are outside `candidatesTokenCount` and inside `totalTokenCount`.
function usageOf(context: ResponseContext, outputTokens: number, thoughts = 0) {
  const usage: Record<string, unknown> = {
    promptTokenCount: context.inputTokens,
    candidatesTokenCount: outputTokens,
    totalTokenCount: context.inputTokens + outputTokens + thoughts,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: context.inputTokens }],
  };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  if (context.cachedInputTokens > 0) {
    usage.cachedContentTokenCount = context.cachedInputTokens;
    usage.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: context.cachedInputTokens }];
  }
  return usage;
}

const partsOf = (answer: Answer) =>
  answer.toolCalls.length > 0
    ? answer.toolCalls.map((call) => ({ functionCall: { name: call.name, args: call.args } }))
    : [{ text: answer.text }];

/** Gemini API: `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`. */
export const googleWire: ProviderWire = {
  provider: 'google',

  readKey(headers, url) {
    const header = headers['x-goog-api-key'];
    if (typeof header === 'string' && header !== '') return header;
    return url.searchParams.get('key') || undefined;
  },

  parse(raw, route) {
    const body = asRecord(raw) ?? {};
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      return error(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified\n');
    }
    const instruction = body.systemInstruction;
    const turns: WireTurn[] = [{ role: 'system', text: textOf(asRecord(instruction)?.parts ?? instruction) }];
    for (const content of recordsOf(body.contents)) {
      const parts = recordsOf(content.parts);
      let extraChars = 0;
      let media = 0;
      for (const part of parts) {
        if (part.functionCall) extraChars += JSON.stringify(part.functionCall).length;
        if (part.functionResponse) extraChars += JSON.stringify(part.functionResponse).length;
        const inline = asRecord(part.inlineData);
        const file = asRecord(part.fileData);
        if (inline)
          media += mediaTokens('google', {
            data: asString(inline.data) ?? '',
            mediaType: asString(inline.mimeType) ?? '',
          });
        if (file) media += mediaTokens('google', { mediaType: asString(file.mimeType) ?? 'image/jpeg' });
      }
      turns.push({
        role: content.role === 'model' ? 'assistant' : 'user',
        text: textOf(parts),
        extraChars,
        toolResult: parts.some((part) => part.functionResponse !== undefined),
        mediaTokens: media,
      });
    }
    const config = asRecord(body.generationConfig) ?? {};
    const schema = config.responseJsonSchema ?? config.responseSchema;
    const budget = asRecord(config.thinkingConfig)?.thinkingBudget;
    return toEmulatorRequest({
      provider: 'google',
      model: route.model ?? '',
      stream: route.stream === true,
      includeUsage: true,
      turns,
      toolsField: body.tools,
      tools: recordsOf(body.tools).flatMap((group) =>
        recordsOf(group.functionDeclarations).map((declaration) => ({
          name: declaration.name,
          description: declaration.description,
          schema: declaration.parametersJsonSchema ?? declaration.parameters,
        })),
      ),
      toolChoice: parseToolChoice(body.toolConfig),
      stop: config.stopSequences,
      maxTokens: config.maxOutputTokens,
      ...(config.responseMimeType === 'application/json'
        ? { json: schema === undefined ? {} : { schema } }
        : {}),
      ...(typeof budget === 'number' ? { reasoning: { budget } } : {}),
    });
  },

  headers: () => ({ server: 'scaffolding on HTTPServer2', vary: 'Origin, X-Origin, Referer' }),

  missingKey: () =>
    error(
      403,
      'PERMISSION_DENIED',
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    ),

  invalidKey: () =>
    error(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      {
        '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
        locale: 'en-US',
        message: 'API key not valid. Please pass a valid API key.',
      },
    ]),

  notFound: (_method, path) => {
    const model = /models\/([^:/]+)/.exec(path)?.[1];
    return error(
      404,
      'NOT_FOUND',
      model
        ? `models/${model} is not found for API version v1beta, or is not supported for this method. Call ListModels to see the list of available models and their supported methods.`
        : 'Requested entity was not found.',
    );
  },

  invalidJson: () => error(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.'),

  contextLength: (_request, inputTokens, contextWindow) =>
    error(
      400,
      'INVALID_ARGUMENT',
      `The input token count (${inputTokens}) exceeds the maximum number of tokens allowed (${contextWindow}).`,
    ),

  rateLimited: (refusal, request, context) =>
    resourceExhausted(
      refusal.kind,
      refusal.limit,
      request.model,
      Number.isFinite(refusal.retryAfterMs) ? refusal.retryAfterMs : context.windowMs,
    ),

  faultStatus(status, request, retrySeconds) {
    if (status === 429) return resourceExhausted('requests', 1, request.model, (retrySeconds ?? 1) * 1000);
    const [name, message] = statusNames[status] ?? statusNames[500] ?? ['INTERNAL', 'Internal error'];
    return error(status, name, message);
  },

  body(answer, request, context) {
    return {
      candidates: [
        {
          content: { parts: partsOf(answer), role: 'model' },
          finishReason: finishReasons[answer.finish],
          index: 0,
        },
      ],
      usageMetadata: usageOf(context, answer.outputTokens, answer.reasoningTokens),
      modelVersion: request.model,
      responseId: context.requestId,
    };
  },

  stream(answer, request, context) {
    const frames: StreamFrame[] = [];
    const chunk = (parts: unknown[], outputTokens: number, finish?: string) =>
      dataFrame({
        candidates: [
          { content: { parts, role: 'model' }, ...(finish ? { finishReason: finish } : {}), index: 0 },
        ],
        usageMetadata: usageOf(context, outputTokens, answer.reasoningTokens),
        modelVersion: request.model,
        responseId: context.requestId,
      });
    if (answer.toolCalls.length > 0) {
      frames.push({
        data: chunk(partsOf(answer), answer.outputTokens),
        outputChars: answer.outputTokens * 4,
      });
      frames.push({
        data: chunk([{ text: '' }], answer.outputTokens, finishReasons[answer.finish]),
        outputChars: 0,
      });
      return frames;
    }
    const pieces = splitText(answer.text, 8);
    let sent = 0;
    pieces.forEach((piece, index) => {
      sent += piece.length;
      const last = index === pieces.length - 1;
      const tokens = last ? answer.outputTokens : Math.min(answer.outputTokens, Math.ceil(sent / 4));
      frames.push({
        data: chunk([{ text: piece }], tokens, last ? finishReasons[answer.finish] : undefined),
        outputChars: piece.length,
      });
    });
    return frames;
  },

  errorBody: (error) => error.body,

  streamError(status) {
    const [name, message] =
      status === 429
        ? ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).']
        : (statusNames[status] ?? statusNames[500] ?? ['INTERNAL', 'Internal error']);
    return dataFrame({ error: { code: status, message, status: name } });
  },
};
