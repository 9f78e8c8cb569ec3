/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions that Forge1 emits, as of
 * semantic conventions v1.41.0 (the GenAI conventions are in Development status).
 */
export const GenAiAttributes = Object.freeze({
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  tokenType: 'gen_ai.token.type',
  outputType: 'gen_ai.output.type',
  conversationId: 'gen_ai.conversation.id',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',
} as const);

/** Forge1's own attributes, under `forge1.*`. None of them ever holds a secret or prompt text. */
export const Forge1Attributes = Object.freeze({
  requestId: 'forge1.request.id',
  tenant: 'forge1.tenant',
  tier: 'forge1.tier',
  level: 'forge1.level',
  score: 'forge1.score',
  cascaded: 'forge1.cascaded',
  fallback: 'forge1.fallback',
  attempt: 'forge1.attempt',
  attempts: 'forge1.attempts',
  keyId: 'forge1.key.id',
  keyState: 'forge1.key.state',
  costMicros: 'forge1.cost_micros',
  queueWaitMs: 'forge1.queue_wait_ms',
  modelTier: 'forge1.model.tier',
  outcome: 'forge1.outcome',
  fromModel: 'forge1.from.model',
  toModel: 'forge1.to.model',
  fromProvider: 'forge1.from.provider',
  toProvider: 'forge1.to.provider',
  reason: 'forge1.reason',
  circuitState: 'forge1.circuit.state',
  threshold: 'forge1.budget.threshold',
  period: 'forge1.budget.period',
  sink: 'forge1.sink',
} as const);

/** The operation name of every Forge1 call (`gen_ai.operation.name`). */
export const chatOperation = 'chat';

// Forge1 provider names whose well-known `gen_ai.provider.name` value differs. Forge1's Google
// adapter calls the Gemini API (generativelanguage.googleapis.com), which the conventions call `gcp.gemini`.
const wellKnownProviders: ReadonlyMap<string, string> = new Map([
  ['google', 'gcp.gemini'],
  ['gemini', 'gcp.gemini'],
  ['vertex', 'gcp.vertex_ai'],
  ['mistral', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['bedrock', 'aws.bedrock'],
  ['azure', 'azure.ai.openai'],
]);

/**
 * The `gen_ai.provider.name` value of a Forge1 provider name: the conventions' well-known value
 * where one applies (`google` → `gcp.gemini`), else the name itself (`openai`, `anthropic`, `deepseek`).
 * @example
 * ```ts
 * genAiProviderName('google'); // 'gcp.gemini'
 * ```
 */
export function genAiProviderName(provider: string): string {
  return wellKnownProviders.get(provider) ?? provider;
}
