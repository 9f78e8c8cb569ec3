export {
  type Catalog,
  type CatalogOptions,
  createCatalog,
  type ModelFilter,
  type ModelInfo,
  type ModelInfoInput,
  type ModelKind,
  type ModelOverride,
  type ModelTier,
  modelSchema,
  type PriceChange,
} from './catalog.js';
export {
  type AssistantMessage,
  type CacheTtl,
  type ChatChunk,
  type ChatChunkV1,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ChatResultV1,
  emptyUsage,
  type FinishReason,
  optionalUsageKeys,
  type PromptCacheOptions,
  type ProviderAnswerV1,
  type ProviderChatRequest,
  type ProviderChatRequestV1,
  type RateLimitInfo,
  type ReasoningEffort,
  type ReasoningOptions,
  type ResponseFormat,
  type SystemMessage,
  type ToolCall,
  type ToolDefinition,
  type ToolMessage,
  type Usage,
  type UsageV1,
  type UserMessage,
} from './chat.js';
export {
  base64ByteLength,
  contentText,
  countContentParts,
  estimateFilePartTokens,
  estimateImagePartTokens,
  hasMediaParts,
  imageTokens,
  isUlid,
  readImageSize,
} from './checked-content.js';
export {
  addUsage,
  assertSpecificationV1,
  billingPeriod,
  costOf,
  createSeededRandom,
  deriveContext,
  estimateCharTokens,
  estimateTokens,
  priceOf,
  redact,
  runInContext,
  runWithContext,
  tierPrices,
  toIssues,
  totalTokens,
} from './checked-exports.js';
export { type Clock, sleep, systemClock, type TimerHandle, type TimerOptions } from './clock.js';
export type {
  ContentPart,
  ContentPartCounts,
  ContentPartKind,
  FilePart,
  ImageDataPart,
  ImagePart,
  ImageUrlPart,
  MessageContent,
  TextPart,
} from './content.js';
export {
  currentContext,
  type RequestContext,
  type RequestContextInput,
} from './context.js';
export { defaultModels } from './default-models.js';
export type { EmbedRequest, EmbedResult, ProviderEmbedRequest } from './embeddings.js';
export {
  AbortedError,
  BudgetExceededError,
  CircuitOpenError,
  ClosedError,
  ConfigurationError,
  type ConfigurationErrorOptions,
  ContentBlockedError,
  ErrorCode,
  Forge1Error,
  type Forge1ErrorOptions,
  type LimitErrorOptions,
  NoCapacityError,
  QuotaExceededError,
  ResidencyError,
  StoreUnavailableError,
  type StoreUnavailableErrorOptions,
  toForge1Error,
  UnknownTenantError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export {
  type AttemptPurpose,
  createEventBus,
  type EventBus,
  type Forge1CoreEvents,
  type Forge1EventName,
  type Forge1Events,
  type Forge1Listener,
  forge1EventNames,
  type MiddlewareHook,
  type RequestMode,
  type SideStage,
} from './events.js';
export { createGateway } from './gateway/create-gateway.js';
export type { GatewayEmbedInput, GatewayEmbedResult } from './gateway/embed.js';
export { type GatewayChatInput, parseGatewayInput } from './gateway/input.js';
export type {
  AttemptOutcome,
  ChunkOutput,
  GatewayMiddleware,
  MiddlewareAttempt,
  MiddlewareContext,
  RequestOutcome,
} from './gateway/middleware.js';
export type { AttemptInfo, Gateway, GatewayOptions, GatewayResult, GatewayStream } from './gateway/types.js';
export {
  asInputError,
  expectFunction,
  expectNumber,
  expectObject,
  expectString,
  readingCaller,
  readOptions,
  refuseArgument,
} from './guards.js';
export { createUlidFactory, type UlidFactoryOptions, ulid } from './ids.js';
export {
  type ImageSize,
  pdfPageTokens,
  unknownImageTokens,
} from './media-tokens.js';
export {
  chatMessageSchema,
  contentPartSchema,
  imageMediaTypes,
  parseChatMessage,
} from './message-schema.js';
export {
  once,
  type WrappedSink,
  wrapAdapter,
  wrapMeter,
  wrapSink,
} from './plugins.js';
export type {
  GuardCheck,
  GuardCheckV1,
  GuardGrant,
  GuardGrantV1,
  GuardSettlement,
  GuardSettlementV1,
  GuardV1,
} from './ports/guard.js';
export type {
  KeyDemand,
  KeyDemandV1,
  KeyPoolStats,
  KeyPoolStatsV1,
  KeyPoolV1,
  KeyStats,
  KeyStatsV1,
  Lease,
  LeaseOutcome,
  LeaseOutcomeV1,
  LeaseV1,
} from './ports/key-pool.js';
export type { MeterSinkV1, MeterV1 } from './ports/meter.js';
export type { ProviderAdapterV1, ProviderCall, ProviderCallV1 } from './ports/provider-adapter.js';
export {
  type ComplexityLevel,
  complexityLevels,
  type JudgeCallOptions,
  type JudgeContext,
  type JudgeContextV1,
  type ModelRef,
  type RouteContext,
  type RouteContextV1,
  type RouteDecision,
  type RouteDecisionV1,
  type RouteFeedback,
  type RouteFeedbackV1,
  type RouteRung,
  type RouteRungV1,
  type RouterV1,
  type Verdict,
  type VerdictV1,
} from './ports/router.js';
export type { TenantResolver } from './ports/tenant-resolver.js';
export type { TenantStoreV1 } from './ports/tenant-store.js';
export type {
  LevelCounts,
  TimeRange,
  UsageGroup,
  UsageGroupBy,
  UsageStoreV1,
  UsageTotals,
} from './ports/usage-store.js';
export type {
  LongContextTier,
  ModelPrices,
  TokenPrices,
} from './prices.js';
export {
  ContentPolicyError,
  ContextLengthError,
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderError,
  type ProviderErrorOptions,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
  type RateLimitKind,
} from './provider-errors.js';
export { Secret, toSecret } from './secret.js';
export {
  defaultTierSettings,
  type Industry,
  industries,
  type Preference,
  policyInputSchema,
  type RedactionAction,
  resolveTenantPolicy,
  type TenantCompliance,
  type TenantPolicy,
  type TenantPolicyInput,
  type Tier,
  type TierSettings,
  tiers,
} from './tenancy.js';
export {
  createMemoryTenantStore,
  createTenantDirectory,
  type TenantDirectory,
  type TenantDirectoryOptions,
  type TenantPolicyPatch,
} from './tenant-directory.js';
export {
  defaultOutputReserve,
  type TokenEstimate,
  type TokenEstimator,
} from './tokens.js';
export { type ReadLimits, readUntrusted } from './untrusted.js';
export {
  optionalRecordCounts,
  parseUsageRecord,
  type UsageRecord,
  type UsageRecordV1,
  usageRecordSchema,
} from './usage-record.js';
export { parseWith } from './validation.js';
