import { type ResilienceOptions, withResilience } from '@forge1/adapters';
import { anthropic } from '@forge1/adapters/anthropic';
import { type ProviderEmulator, startProviderEmulator } from '@forge1/adapters/emulator';
import { google } from '@forge1/adapters/google';
import { openai, openaiCompatible } from '@forge1/adapters/openai';
import { type EventBus, type ProviderAdapterV1, Secret, ValidationError } from '@forge1/core';
import type { KeyInput } from '@forge1/keypool';
import OpenAI from 'openai';
import { createKeepAliveFetch } from './keep-alive-fetch.ts';

/** Which wire format a provider speaks. */
export type ProviderKind = 'openai' | 'openai-compatible' | 'anthropic' | 'google';

/** One upstream provider and the keys the pool lends for it. */
export interface ProviderSetup {
  /** Provider name as in the catalog (`openai`, `anthropic`, `google`, `deepseek`, …). */
  provider: string;
  /** Wire format. @default the provider name when it is openai, anthropic or google */
  kind?: ProviderKind;
  /** API base URL (a proxy, the emulator, a local OpenAI-compatible server). @default the SDK's */
  baseURL?: string;
  keys: Array<{
    id: string;
    secret: string | Secret;
    /** @default 10000 */
    rpm?: number;
    /** @default 10000000 */
    tpm?: number;
  }>;
}

/** Where calls go: real providers, the emulator, or what the host configured. */
export type UpstreamMode = 'configured' | 'real' | 'emulator';

/** Adapters, pool keys and the secrets to scrub from anything the service sends. */
export interface Upstream {
  mode: UpstreamMode;
  providers: Record<string, ProviderAdapterV1>;
  keys: KeyInput[];
  secrets: Secret[];
  /** The provider emulator, when the service started one. */
  emulator?: ProviderEmulator;
  close(): Promise<void>;
}

/** Options of {@link createUpstream}. */
export interface UpstreamOptions {
  /** Explicit providers; when absent, real keys from `env`, else the emulator. */
  providers?: ProviderSetup[];
  /** Environment to read real keys from. @default process.env */
  env?: Record<string, string | undefined>;
  resilience?: Omit<ResilienceOptions, 'events'>;
  events: EventBus;
}

const realKeyVariables: Array<{
  provider: ProviderKind;
  prefix: string;
  names: string[];
  rpm: number;
  tpm: number;
}> = [
  { provider: 'openai', prefix: 'OPENAI', names: ['OPENAI_API_KEY'], rpm: 500, tpm: 200_000 },
  { provider: 'anthropic', prefix: 'ANTHROPIC', names: ['ANTHROPIC_API_KEY'], rpm: 50, tpm: 40_000 },
  {
    provider: 'google',
    prefix: 'GOOGLE',
    names: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    rpm: 150,
    tpm: 1_000_000,
  },
];

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * Real provider keys found in the environment, one setup per provider: `OPENAI_API_KEY`,
 * `ANTHROPIC_API_KEY`, `GEMINI_API_KEY` (or `GOOGLE_API_KEY`), each with optional
 * `<PROVIDER>_BASE_URL`, `<PROVIDER>_RPM` and `<PROVIDER>_TPM` (PROVIDER = OPENAI, ANTHROPIC, GOOGLE).
 */
export function providersFromEnv(env: Record<string, string | undefined>): ProviderSetup[] {
  const setups: ProviderSetup[] = [];
  for (const { provider, prefix, names, rpm, tpm } of realKeyVariables) {
    const value = names.map((name) => env[name]).find((candidate) => candidate && candidate.length > 0);
    if (!value) continue;
    const baseURL = env[`${prefix}_BASE_URL`];
    setups.push({
      provider,
      ...(baseURL ? { baseURL } : {}),
      keys: [
        {
          id: `${provider}-env`,
          secret: new Secret(value),
          rpm: positiveInteger(env[`${prefix}_RPM`], rpm),
          tpm: positiveInteger(env[`${prefix}_TPM`], tpm),
        },
      ],
    });
  }
  return setups;
}

function emulatorSetups(emulator: ProviderEmulator): ProviderSetup[] {
  const keysOf = (provider: string) =>
    [1, 2].map((n) => ({ id: `${provider}-${n}`, secret: new Secret(`sk-emulator-${provider}-${n}`) }));
  return [
    { provider: 'openai', baseURL: emulator.urls.openai, keys: keysOf('openai') },
    { provider: 'anthropic', baseURL: emulator.urls.anthropic, keys: keysOf('anthropic') },
    { provider: 'google', baseURL: emulator.urls.google, keys: keysOf('google') },
  ];
}

function adapterFor(setup: ProviderSetup, transport: typeof fetch): ProviderAdapterV1 {
  const kind =
    setup.kind ??
    (['openai', 'anthropic', 'google'].includes(setup.provider)
      ? (setup.provider as ProviderKind)
      : undefined);
  const base = setup.baseURL === undefined ? {} : { baseURL: setup.baseURL };
  // One SDK client per key (the adapter caches them), over the keep-alive transport.
  const openAIClient = (apiKey: string) => new OpenAI({ apiKey, maxRetries: 0, fetch: transport, ...base });
  switch (kind) {
    case 'openai':
      return openai({ ...base, createClient: openAIClient });
    case 'anthropic':
      return anthropic({ ...base, name: setup.provider, defaultMaxTokens: 1024 });
    case 'google':
      return google({ ...base, name: setup.provider, fetch: transport });
    case 'openai-compatible':
      if (!setup.baseURL) break;
      return openaiCompatible({ name: setup.provider, baseURL: setup.baseURL, createClient: openAIClient });
  }
  throw new ValidationError('http service options', [
    {
      path: `providers.${setup.provider}`,
      message: 'set kind (openai, anthropic, google, or openai-compatible with a baseURL)',
    },
  ]);
}

/**
 * Builds the adapters (each wrapped in `withResilience`) and the pool's keys: from
 * `options.providers` when given, else from real keys in the environment, else against a
 * provider emulator started here (no network, no key needed).
 * @throws ValidationError on a provider whose wire format cannot be told.
 */
export async function createUpstream(options: UpstreamOptions): Promise<Upstream> {
  let mode: UpstreamMode = 'configured';
  let setups = options.providers;
  let emulator: ProviderEmulator | undefined;
  if (!setups) {
    const env = options.env ?? process.env;
    setups = env.FORGE1_USE_EMULATOR === '1' ? [] : providersFromEnv(env);
    mode = 'real';
    if (setups.length === 0) {
      emulator = await startProviderEmulator({});
      setups = emulatorSetups(emulator);
      mode = 'emulator';
    }
  }
  const transport = createKeepAliveFetch();
  const providers: Record<string, ProviderAdapterV1> = {};
  const keys: KeyInput[] = [];
  const secrets: Secret[] = [];
  for (const setup of setups) {
    providers[setup.provider] = withResilience(adapterFor(setup, transport.fetch), {
      ...options.resilience,
      events: options.events,
    });
    for (const key of setup.keys) {
      const secret = key.secret instanceof Secret ? key.secret : new Secret(key.secret);
      secrets.push(secret);
      keys.push({
        id: key.id,
        provider: setup.provider,
        secret,
        rpm: key.rpm ?? 10_000,
        tpm: key.tpm ?? 10_000_000,
      });
    }
  }
  return {
    mode,
    providers,
    keys,
    secrets,
    ...(emulator ? { emulator } : {}),
    close: async () => {
      transport.close();
      await emulator?.close();
    },
  };
}
