import type { ChatMessage, MessageContent, ProviderChatRequest } from '@forge1/core';
import {
  type Content,
  FunctionCallingConfigMode,
  type GenerateContentConfig,
  type Part,
  type ToolConfig,
} from '@google/genai';
import { mediaSourceOf } from '../provider-utils/media.js';
import { thinkingBudgetOf } from '../provider-utils/reasoning.js';
import { parseJsonObject } from '../provider-utils/records.js';

/** A user turn's content as Gemini parts: text, `inlineData` for bytes, `fileData` for URLs. */
export function toParts(content: MessageContent): Part[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part): Part => {
    if (part.type === 'text') return { text: part.text };
    const source = mediaSourceOf(part);
    return source.kind === 'url'
      ? { fileData: { fileUri: source.url, mimeType: source.mediaType } }
      : { inlineData: { data: source.data, mimeType: source.mediaType } };
  });
}

/**
 * Maps the conversation to Gemini `contents`: assistant turns have role `model`, tool
 * results become `functionResponse` parts of a user turn (named after the call they answer),
 * consecutive turns of the same role merge, and system messages become `systemInstruction`.
 */
export function toContents(messages: readonly ChatMessage[]): {
  systemInstruction: string | undefined;
  contents: Content[];
} {
  const system: string[] = [];
  const contents: Content[] = [];
  const callNames = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message.content);
      continue;
    }
    const parts: Part[] = [];
    if (message.role === 'user') parts.push(...toParts(message.content));
    else if (message.role === 'assistant') {
      if (message.content !== '') parts.push({ text: message.content });
      for (const call of message.toolCalls ?? []) {
        callNames.set(call.id, call.name);
        parts.push({
          functionCall: { id: call.id, name: call.name, args: parseJsonObject(call.arguments) ?? {} },
        });
      }
    } else {
      const name = message.name ?? callNames.get(message.toolCallId) ?? message.toolCallId;
      // Gemini wants an object; a plain-text result is wrapped as { result }.
      const response = parseJsonObject(message.content) ?? { result: message.content };
      parts.push({ functionResponse: { id: message.toolCallId, name, response } });
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last && last.role === role) last.parts = [...(last.parts ?? []), ...parts];
    else contents.push({ role, parts });
  }
  return { systemInstruction: system.length ? system.join('\n\n') : undefined, contents };
}

function toToolConfig(choice: ProviderChatRequest['toolChoice']): ToolConfig | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } };
  if (choice === 'none') return { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } };
  if (choice === 'required') return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } };
  return {
    functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [choice.name] },
  };
}

/** Maps a neutral request to `generateContent` parameters (config without the signal). */
export function toGenerateContentParameters(request: ProviderChatRequest): {
  model: string;
  contents: Content[];
  config: GenerateContentConfig;
} {
  const { systemInstruction, contents } = toContents(request.messages);
  const config: GenerateContentConfig = {};
  if (systemInstruction !== undefined) config.systemInstruction = systemInstruction;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          parametersJsonSchema: tool.parameters,
          ...(tool.description === undefined ? {} : { description: tool.description }),
        })),
      },
    ];
    const toolConfig = toToolConfig(request.toolChoice);
    if (toolConfig) config.toolConfig = toolConfig;
  }
  if (request.reasoning) config.thinkingConfig = { thinkingBudget: thinkingBudgetOf(request.reasoning) };
  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    if (request.responseFormat.schema) config.responseJsonSchema = request.responseFormat.schema;
  }
  return { model: request.model, contents, config };
}
