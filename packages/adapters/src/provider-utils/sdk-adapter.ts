import {
  type ChatChunk,
  type ChatResult,
  type EmbedResult,
  type Forge1Error,
  type ProviderAdapterV1,
  type ProviderCall,
  type ProviderChatRequest,
  type ProviderEmbedRequest,
  type RateLimitInfo,
  systemClock,
} from '@forge1/core';
import type { BaseAdapterOptions } from './adapter-options.js';
import { type CallControl, createCallControl } from './call-control.js';
import { callRefusal } from './call-input.js';
import { createClientCache } from './client-cache.js';
import { type ErrorScope, errorScope, toProviderError } from './failure.js';
import type { StreamMapper } from './stream-mapper.js';

/** One attempt, as the skeleton hands it to a provider's hooks. */
export interface SdkAttempt {
  /** Pass to the SDK: it fires on the caller's abort, the timeout, or a consumer that stops early. */
  readonly signal: AbortSignal;
  /** Milliseconds since the attempt started, on the adapter's clock. */
  elapsed(): number;
  /** Epoch milliseconds on the adapter's clock (Anthropic's reset headers are instants). */
  now(): number;
  /** Response headers captured outside the SDK (a fetch wrapper), for error classification. */
  responseHeaders?: Headers;
}

/** What a provider's stream hook opened. */
export interface SdkStream<Event> {
  events: AsyncIterable<Event>;
  /** The request id of the response, when the SDK gives one. */
  requestId?: string | undefined;
  /** Rate-limit figures of the response, read after the last event (some SDKs expose headers only then). */
  rateLimit(): RateLimitInfo | undefined;
}

/** A provider's part of an SDK adapter: build a client, map and call, normalise errors. */
export interface SdkAdapterSpec<Client, Event> {
  /** Provider name, as in the catalog and key pool. */
  provider: string;
  /** The adapter's validated options (client, createClient, maxClients, clock). */
  options: BaseAdapterOptions<Client>;
  /** Builds the official SDK client of one key, when the host gave neither `client` nor `createClient`. */
  createClient(apiKey: string, keyId: string | undefined): Client;
  /** Maps the request, calls the SDK and maps its answer. */
  chat(client: Client, request: ProviderChatRequest, attempt: SdkAttempt): Promise<ChatResult>;
  /** Maps the request and opens the SDK's stream. */
  openStream(client: Client, request: ProviderChatRequest, attempt: SdkAttempt): Promise<SdkStream<Event>>;
  /** A fresh mapper for one stream. */
  streamMapper(request: ProviderChatRequest): StreamMapper<Event>;
  /** Embeds texts, for providers with embedding models; without it the adapter has no `embed`. */
  embed?(client: Client, request: ProviderEmbedRequest, attempt: SdkAttempt): Promise<EmbedResult>;
  /** Turns anything the SDK threw into a core error. */
  normaliseError(error: unknown, scope: ErrorScope, now: number, attempt: SdkAttempt): Forge1Error;
}

interface Begun {
  control: CallControl;
  attempt: SdkAttempt;
  model: string;
  call: ProviderCall;
}

/**
 * Builds a `ProviderAdapterV1` over an official SDK from a provider's hooks. The skeleton owns
 * the control flow both calls share: one client per key, the attempt's abort signal and timeout,
 * error normalisation with the key scrubbed, a stream that must reach its end (else
 * unavailable), one `finish` chunk, and closing the connection of a stream left early.
 */
export function createSdkAdapter<Client, Event>(spec: SdkAdapterSpec<Client, Event>): ProviderAdapterV1 {
  const { provider, options } = spec;
  const clock = options.clock ?? systemClock;
  const clients = createClientCache<Client>({
    maxClients: options.maxClients,
    build: (apiKey, keyId) => options.createClient?.(apiKey, keyId) ?? spec.createClient(apiKey, keyId),
  });
  const clientFor = (call: ProviderCall) => options.client ?? clients.get(call.apiKey, call.keyId);

  const begin = (request: { model: string }, call: ProviderCall): Begun => {
    const control = createCallControl(call, clock);
    const started = clock.now();
    const attempt: SdkAttempt = {
      signal: control.signal,
      elapsed: () => clock.now() - started,
      now: () => clock.now(),
    };
    return { control, attempt, model: request.model, call };
  };
  // Built only when the attempt fails: a served attempt never needs it.
  const scopeOf = ({ model, call, control }: Begun): ErrorScope => ({
    ...errorScope(provider, { model }, call),
    control,
  });
  const fail = (error: unknown, begun: Begun) =>
    spec.normaliseError(error, scopeOf(begun), clock.now(), begun.attempt);

  // One call answered whole: chat, embed.
  const once = async <Request extends { model: string }, Result>(
    request: Request,
    call: ProviderCall,
    run: (client: Client, request: Request, attempt: SdkAttempt) => Promise<Result>,
    fn: string,
  ): Promise<Result> => {
    const refused = callRefusal(request, call, fn);
    if (refused) throw refused;
    const begun = begin(request, call);
    try {
      return await run(clientFor(call), request, begun.attempt);
    } catch (error) {
      throw fail(error, begun);
    } finally {
      begun.control.dispose();
    }
  };
  const { embed } = spec;
  // The method names that refusals cite, made once rather than on every call.
  const names = { chat: `${provider}.chat`, embed: `${provider}.embed`, stream: `${provider}.stream` };

  return {
    specificationVersion: 'v1',
    provider,

    chat: (request, call): Promise<ChatResult> => once(request, call, spec.chat, names.chat),
    ...(embed ? { embed: (request, call) => once(request, call, embed, names.embed) } : {}),

    async *stream(request, call): AsyncIterable<ChatChunk> {
      const refused = callRefusal(request, call, names.stream);
      if (refused) throw refused;
      const begun = begin(request, call);
      const { control } = begun;
      const mapper = spec.streamMapper(request);
      let finished = false;
      try {
        const opened = await spec.openStream(clientFor(call), request, begun.attempt);
        for await (const event of opened.events) {
          control.touch();
          for (const out of mapper.map(event)) yield out;
        }
        // The SDKs end a stream quietly when its signal aborts.
        if (control.callerAborted() || control.timedOut()) throw control.signal.reason;
        const end = mapper.end();
        if (end === undefined) {
          const message = `stream ended before ${mapper.missing}`;
          throw toProviderError({ category: 'unavailable', message, cause: undefined }, scopeOf(begun));
        }
        finished = true;
        const rateLimit = opened.rateLimit();
        const requestId = opened.requestId ?? end.id;
        yield {
          type: 'finish',
          finishReason: end.finishReason,
          usage: end.usage,
          provider,
          model: end.model ?? request.model,
          ...(rateLimit ? { rateLimit } : {}),
          ...(requestId ? { providerRequestId: requestId } : {}),
        };
      } catch (error) {
        throw fail(error, begun);
      } finally {
        // A consumer that stops early must not leave the connection open.
        if (!finished) control.abort();
        control.dispose();
      }
    },
  };
}
