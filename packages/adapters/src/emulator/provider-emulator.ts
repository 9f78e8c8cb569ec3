import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAnswerEngine } from './answers.js';
import { createCounters, type EmulatorCounters } from './counters.js';
import {
  type EmulatorFault,
  type EmulatorKeyLimits,
  type ProviderEmulatorOptions,
  parseFaults,
  parseKeyLimits,
  resolveEmulatorOptions,
} from './emulator-options.js';
import { createFaultInjector } from './faults.js';
import { createPromptCache } from './prompt-cache.js';
import { createRandom, hashApiKey } from './random.js';
import { createRateLimiter } from './rate-limiter.js';
import { createRequestHandler } from './request-handler.js';

/** A running emulator. */
export interface ProviderEmulator {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** Base URLs to give each SDK: `openai` is `${url}/v1`; `anthropic` and `google` are `url`. */
  urls: { openai: string; anthropic: string; google: string };
  /** Live counters per key, model and provider. */
  counters: EmulatorCounters;
  /**
   * Replaces the faults; schedules count again from request 1.
   * @throws ValidationError on a malformed fault.
   */
  setFaults(faults: readonly EmulatorFault[]): void;
  /** From now on, this key gets each provider's authentication error. */
  revokeKey(apiKey: string): void;
  /**
   * Changes one key's limits (an empty object removes them).
   * @throws ValidationError on malformed limits.
   */
  setKeyLimits(apiKey: string, limits: EmulatorKeyLimits): void;
  /** Closes the server and every open socket, including streams in flight. */
  close(): Promise<void>;
}

/**
 * Starts a local HTTP server that speaks the wire formats of OpenAI chat completions,
 * Anthropic messages and the Gemini API, with deterministic answers, per-key rate limits,
 * fault injection and counters. The official SDKs talk to it through their base URL.
 *
 * @throws ValidationError on malformed options.
 * @example
 * ```ts
 * const emulator = await startProviderEmulator({ keys: { 'sk-a': { rpm: 60 } } });
 * const openai = new OpenAI({ apiKey: 'sk-a', baseURL: emulator.urls.openai, maxRetries: 0 });
 * const anthropic = new Anthropic({ apiKey: 'sk-a', baseURL: emulator.urls.anthropic, maxRetries: 0 });
 * const google = new GoogleGenAI({ apiKey: 'sk-a', httpOptions: { baseUrl: emulator.urls.google } });
 * // …
 * emulator.counters.forKey('sk-a').requests;
 * await emulator.close();
 * ```
 */
export async function startProviderEmulator(
  options: ProviderEmulatorOptions = {},
): Promise<ProviderEmulator> {
  const resolved = resolveEmulatorOptions(options);
  const { clock } = resolved;
  const limits = new Map<string, EmulatorKeyLimits>();
  for (const [apiKey, keyLimits] of Object.entries(resolved.keys)) limits.set(hashApiKey(apiKey), keyLimits);
  const revoked = new Set(resolved.revokedKeys.map(hashApiKey));
  const random = createRandom(resolved.seed);
  const faults = createFaultInjector(resolved.faults, random, () => clock.now());
  const limiter = createRateLimiter({
    windowMs: resolved.windowMs,
    limits,
    defaultLimits: resolved.defaultLimits,
    now: () => clock.now(),
  });
  const counters = createCounters();
  const stopping = new AbortController();
  let sequence = 0;
  const prefix = (resolved.seed >>> 0).toString(16).padStart(8, '0');

  const handle = createRequestHandler({
    counters,
    limiter,
    faults,
    answers: createAnswerEngine({ seed: resolved.seed }),
    promptCache: createPromptCache(),
    revoked,
    clock,
    windowMs: resolved.windowMs,
    latencyMs: resolved.latencyMs,
    signal: stopping.signal,
    nextRequestId: () => `${prefix}${(++sequence).toString(16).padStart(16, '0')}`,
  });

  const sockets = new Set<Socket>();
  const server = createServer({ keepAlive: true, noDelay: true }, (request, response) => {
    handle(request, response).catch(() => {
      // A socket that died mid-request: nothing left to answer.
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          '{"error":{"message":"emulator failure","type":"server_error","param":null,"code":null}}',
        );
      } else response.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    urls: { openai: `${url}/v1`, anthropic: url, google: url },
    counters,
    setFaults(list) {
      faults.set(parseFaults(list));
    },
    revokeKey(apiKey) {
      revoked.add(hashApiKey(apiKey));
    },
    setKeyLimits(apiKey, keyLimits) {
      limiter.setLimits(hashApiKey(apiKey), parseKeyLimits(keyLimits));
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
