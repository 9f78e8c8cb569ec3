export type { MaxTokensField } from './map-request.js';
export {
  type OpenAIAdapterOptions,
  type OpenAIClientLike,
  type OpenAICompatibleAdapterOptions,
  openai,
  openaiCompatible,
} from './openai-adapter.js';
