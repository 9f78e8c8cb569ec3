export {
  type Catalog,
  type CatalogOptions,
  costOf,
  createCatalog,
  defaultModels,
  type ModelFilter,
  type ModelInfo,
  type ModelInfoInput,
  type ModelPrices,
  type ModelTier,
  modelSchema,
} from './catalog.js';
export {
  type AssistantMessage,
  addUsage,
  type CacheTtl,
  type ChatChunk,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  emptyUsage,
  type FinishReason,
  optionalUsageKeys,
  type PromptCacheOptions,
  type ProviderChatRequest,
  type RateLimitInfo,
  type ReasoningEffort,
  type ReasoningOptions,
  type ResponseFormat,
  type SystemMessage,
  type ToolCall,
  type ToolDefinition,
  type ToolMessage,
  totalTokens,
  type Usage,
  type UserMessage,
} from './chat.js';
export { type Clock, sleep, systemClock, type TimerHandle, type TimerOptions } from './clock.js';
export {
  base64ByteLength,
  type ContentPart,
  type ContentPartCounts,
  type ContentPartKind,
  contentText,
  countContentParts,
  type FilePart,
  hasMediaParts,
  type ImageDataPart,
  type ImagePart,
  type ImageUrlPart,
  type MessageContent,
  type TextPart,
} from './content.js';
export {
  currentContext,
  deriveContext,
  type RequestContext,
  type RequestContextInput,
  runInContext,
  runWithContext,
} from './context.js';
export type { EmbedRequest, EmbedResult, ProviderEmbedRequest } from './embeddings.js';
export {
  AbortedError,
  BudgetExceededError,
  CircuitOpenError,
  ClosedError,
  ContentBlockedError,
  ContentPolicyError,
  ContextLengthError,
  ErrorCode,
  Forge1Error,
  type Forge1ErrorOptions,
  type LimitErrorOptions,
  NoCapacityError,
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderError,
  type ProviderErrorOptions,
  ProviderTimeoutError,
  ProviderUnavailableError,
  QuotaExceededError,
  RateLimitedError,
  type RateLimitKind,
  toForge1Error,
  UnknownTenantError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export {
  createEventBus,
  type EventBus,
  type Forge1EventName,
  type Forge1Events,
  type Forge1Listener,
  forge1EventNames,
} from './events.js';
export {
  type AttemptInfo,
  createGateway,
  type Gateway,
  type GatewayOptions,
  type GatewayResult,
  type GatewayStream,
  type TenantResolver,
} from './gateway.js';
export { type GatewayChatInput, parseGatewayInput } from './gateway-input.js';
export { createUlidFactory, isUlid, type UlidFactoryOptions, ulid } from './ids.js';
export {
  estimateFilePartTokens,
  estimateImagePartTokens,
  type ImageSize,
  imageTokens,
  pdfPageTokens,
  readImageSize,
  unknownImageTokens,
} from './media-tokens.js';
export {
  chatMessageSchema,
  contentPartSchema,
  imageMediaTypes,
  parseChatMessage,
} from './message-schema.js';
export {
  assertSpecificationV1,
  once,
  type WrappedSink,
  wrapAdapter,
  wrapMeter,
  wrapSink,
} from './plugins.js';
export type { GuardCheck, GuardGrant, GuardSettlement, GuardV1 } from './ports/guard.js';
export type { KeyDemand, KeyPoolStats, KeyPoolV1, KeyStats, Lease, LeaseOutcome } from './ports/key-pool.js';
export type { MeterSinkV1, MeterV1 } from './ports/meter.js';
export type { ProviderAdapterV1, ProviderCall } from './ports/provider-adapter.js';
export {
  type ComplexityLevel,
  complexityLevels,
  type ModelRef,
  type RouteContext,
  type RouteDecision,
  type RouteFeedback,
  type RouteRung,
  type RouterV1,
  type Verdict,
} from './ports/router.js';
export type { TenantStoreV1 } from './ports/tenant-store.js';
export type {
  LevelCounts,
  TimeRange,
  UsageGroup,
  UsageGroupBy,
  UsageStoreV1,
  UsageTotals,
} from './ports/usage-store.js';
export { createSeededRandom } from './random.js';
export { redact, Secret, toSecret } from './secret.js';
export {
  createMemoryTenantStore,
  createTenantDirectory,
  defaultTierSettings,
  type Industry,
  industries,
  type Preference,
  policyInputSchema,
  type RedactionAction,
  resolveTenantPolicy,
  type TenantCompliance,
  type TenantDirectory,
  type TenantDirectoryOptions,
  type TenantPolicy,
  type TenantPolicyInput,
  type TenantPolicyPatch,
  type Tier,
  type TierSettings,
  tiers,
} from './tenancy.js';
export {
  defaultOutputReserve,
  estimateCharTokens,
  estimateTokens,
  type TokenEstimate,
  type TokenEstimator,
} from './tokens.js';
export { billingPeriod, parseUsageRecord, type UsageRecord, usageRecordSchema } from './usage-record.js';
export { parseWith, toIssues } from './validation.js';
