export { type AnthropicAdapterOptions, type AnthropicClientLike, anthropic } from './anthropic-adapter.js';
export { type AnthropicJsonMode, JSON_TOOL_NAME } from './map-request.js';
