import { asNumber, asRecord, asString } from '../provider-utils/records.js';
import type { EmulatorProvider } from './emulator-options.js';
import { recordsOf, textOf, tokensOf } from './emulator-request.js';
import { createRandom, hashString } from './random.js';
import type { RouteMatch, WireError } from './wire.js';

/** An embeddings request reduced to what the emulator answers. */
export interface EmulatorEmbedRequest {
  provider: EmulatorProvider;
  model: string;
  inputs: string[];
  dimensions?: number;
  /** OpenAI `encoding_format`; the official SDK asks for base64 unless told otherwise. */
  encoding: 'float' | 'base64';
  /** Gemini: `embedContent` (one) or `batchEmbedContents` (many). */
  batch: boolean;
}

const DEFAULT_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-large': 3072,
  'gemini-embedding-001': 3072,
  'text-embedding-004': 768,
};
const MAX_GEMINI_BATCH = 100;

/** Input tokens of an embeddings request, by the same rule as chat text. */
export const embedTokensOf = (request: EmulatorEmbedRequest): number =>
  request.inputs.reduce((sum, input) => sum + tokensOf(input.length), 0);

/** A deterministic unit vector for a text: same model, text and size, same vector. */
export function embeddingOf(model: string, text: string, dimensions: number): number[] {
  const random = createRandom(hashString(`${model}\u0000${text}`));
  const values = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
  return values.map((value) => value / norm);
}

const dimensionsOf = (request: EmulatorEmbedRequest) =>
  request.dimensions ?? DEFAULT_DIMENSIONS[request.model] ?? 1536;

const openaiError = (message: string, param: string): WireError => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code: null } },
});
const googleError = (message: string): WireError => ({
  status: 400,
  body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } },
});

/** Reads `POST /v1/embeddings` (OpenAI) or `:embedContent` / `:batchEmbedContents` (Gemini). */
export function parseEmbedRequest(raw: unknown, route: RouteMatch): EmulatorEmbedRequest | WireError {
  const body = asRecord(raw) ?? {};
  if (route.provider === 'openai') {
    const model = asString(body.model);
    if (!model) return openaiError('you must provide a model parameter', 'model');
    const inputs =
      typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
    if (inputs.length === 0 || !inputs.every((input) => typeof input === 'string' && input !== '')) {
      return openaiError(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        'input',
      );
    }
    const dimensions = asNumber(body.dimensions);
    return {
      provider: 'openai',
      model,
      inputs: inputs as string[],
      ...(dimensions === undefined ? {} : { dimensions }),
      encoding: body.encoding_format === 'base64' ? 'base64' : 'float',
      batch: true,
    };
  }
  const requests = route.batch ? recordsOf(body.requests) : [body];
  if (requests.length === 0)
    return googleError('* BatchEmbedContentsRequest.requests: requests is not specified\n');
  if (requests.length > MAX_GEMINI_BATCH) {
    return googleError('* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n');
  }
  const dimensions = asNumber(requests[0]?.outputDimensionality);
  return {
    provider: 'google',
    model: route.model ?? '',
    inputs: requests.map((request) => textOf(asRecord(request.content)?.parts)),
    ...(dimensions === undefined ? {} : { dimensions }),
    encoding: 'float',
    batch: route.batch === true,
  };
}

const base64Of = (vector: number[]) => Buffer.from(new Float32Array(vector).buffer).toString('base64');

/** The provider's answer: OpenAI's list with usage, Gemini's `embedding` or `embeddings`. */
export function embedBody(request: EmulatorEmbedRequest): unknown {
  const vectors = request.inputs.map((input) => embeddingOf(request.model, input, dimensionsOf(request)));
  if (request.provider === 'openai') {
    const tokens = embedTokensOf(request);
    return {
      object: 'list',
      data: vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: request.encoding === 'base64' ? base64Of(vector) : vector,
      })),
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }
  // The Gemini API reports no token counts for embeddings.
  return request.batch
    ? { embeddings: vectors.map((values) => ({ values })) }
    : { embedding: { values: vectors[0] ?? [] } };
}
