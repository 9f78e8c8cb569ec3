import type { IncomingHttpHeaders } from 'node:http';
import { anthropicWire } from './anthropic-wire.js';
import type { EmulatorProvider } from './emulator-options.js';
import { googleWire } from './google-wire.js';
import { openaiWire } from './openai-wire.js';
import type { ProviderWire, RouteMatch } from './wire.js';

/** The wire format of each provider. */
export const wires: Record<EmulatorProvider, ProviderWire> = {
  openai: openaiWire,
  anthropic: anthropicWire,
  google: googleWire,
};

const googlePath =
  /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;

/**
 * Which provider route a request hit. Unknown routes are attributed to a provider
 * (by `/v1beta` prefix or Anthropic's headers, else OpenAI) so they get its 404 shape.
 */
export function matchRoute(method: string, url: URL, headers: IncomingHttpHeaders): RouteMatch {
  const path = url.pathname.replace(/\/+$/, '');
  if (method === 'POST') {
    if (path === '/v1/chat/completions') return { provider: 'openai', known: true };
    if (path === '/v1/embeddings') return { provider: 'openai', known: true, embed: true };
    if (path === '/v1/messages') return { provider: 'anthropic', known: true };
    const google = googlePath.exec(path);
    if (google?.[1]) {
      const method = google[2];
      if (method === 'embedContent' || method === 'batchEmbedContents') {
        const model = decodeURIComponent(google[1]);
        return {
          provider: 'google',
          known: true,
          embed: true,
          batch: method === 'batchEmbedContents',
          model,
        };
      }
      const stream = method === 'streamGenerateContent';
      return {
        provider: 'google',
        known: true,
        model: decodeURIComponent(google[1]),
        stream,
        sse: stream && url.searchParams.get('alt') === 'sse',
      };
    }
  }
  if (path.startsWith('/v1beta')) return { provider: 'google', known: false };
  if (headers['x-api-key'] !== undefined || headers['anthropic-version'] !== undefined) {
    return { provider: 'anthropic', known: false };
  }
  return { provider: 'openai', known: false };
}
