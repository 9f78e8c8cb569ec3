import type { ChatMessage, ContentPart, MessageContent, ProviderChatRequest } from '@forge1/core';
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { dataUrlOf, mediaSourceOf } from '../provider-utils/media.js';
import { reasoningEffortOf } from '../provider-utils/reasoning.js';

/** Which request field carries the output limit. */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** How a neutral request becomes a chat completions body. */
export interface OpenAIRequestSettings {
  maxTokensField: MaxTokensField;
}

const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'text/plain': 'txt' };

function toPart(part: ContentPart): ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const source = mediaSourceOf(part);
  const url = source.kind === 'url' ? source.url : dataUrlOf(source.data, source.mediaType);
  if (part.type === 'image') return { type: 'image_url', image_url: { url } };
  const filename = part.filename ?? `document.${EXTENSIONS[part.mediaType] ?? 'bin'}`;
  return { type: 'file', file: { file_data: url, filename } };
}

/** A user turn's content: a string as is, parts as chat completion content parts. */
export function toUserContent(content: MessageContent): string | ChatCompletionContentPart[] {
  return typeof content === 'string' ? content : content.map(toPart);
}

function toMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: toUserContent(message.content) };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
  }
}

function toToolChoice(choice: ProviderChatRequest['toolChoice']): ChatCompletionToolChoiceOption | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/** Maps a neutral request to an OpenAI chat completions body (without `stream`). */
export function toChatCompletionBody(
  request: ProviderChatRequest,
  settings: OpenAIRequestSettings,
): ChatCompletionCreateParamsBase {
  const body: ChatCompletionCreateParamsBase = {
    model: request.model,
    messages: request.messages.map(toMessage),
  };
  if (request.maxTokens !== undefined) body[settings.maxTokensField] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): ChatCompletionTool => ({
        type: 'function',
        function: {
          name: tool.name,
          parameters: tool.parameters,
          ...(tool.description === undefined ? {} : { description: tool.description }),
        },
      }),
    );
    const choice = toToolChoice(request.toolChoice);
    if (choice !== undefined) body.tool_choice = choice;
  }
  if (request.reasoning) body.reasoning_effort = reasoningEffortOf(request.reasoning);
  const format = request.responseFormat;
  if (format?.type === 'json') {
    body.response_format = format.schema
      ? { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema } }
      : { type: 'json_object' };
  }
  return body;
}
