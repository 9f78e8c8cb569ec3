import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** A `fetch` for SDK clients over node:http with keep-alive agents, and how to release its sockets. */
export interface KeepAliveFetch {
  fetch: typeof fetch;
  /** Destroys the pooled sockets. */
  close(): void;
}

const abortError = (signal: AbortSignal) =>
  signal.reason instanceof Error && signal.reason.name === 'AbortError'
    ? signal.reason
    : new DOMException('The operation was aborted', 'AbortError');

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('keep-alive fetch sends string or byte bodies only');
}

/**
 * The provider SDKs call `fetch` for every request; Node's built-in fetch (undici) costs far more
 * CPU per call than node:http with a keep-alive agent, and on the hot path of a gateway that is
 * most of the work. This `fetch` covers what the SDKs use: string or byte bodies, headers, an
 * abort signal, and streamed responses (Server-Sent Events are passed through as they arrive).
 * @example
 * ```ts
 * const transport = createKeepAliveFetch();
 * const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, fetch: transport.fetch });
 * ```
 */
export function createKeepAliveFetch(options: { maxSockets?: number } = {}): KeepAliveFetch {
  const settings = { keepAlive: true, maxSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const };
  const agents = { http: new HttpAgent(settings), https: new HttpsAgent(settings) };

  const keepAliveFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = typeof input === 'string' || input instanceof URL ? new URL(input) : new URL(input.url);
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const outgoing = send(url, {
        method: init.method ?? 'GET',
        headers,
        agent: secure ? agents.https : agents.http,
      });
      const onAbort = () => outgoing.destroy(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(signal?.aborted ? abortError(signal) : error);
      });
      outgoing.on('response', (incoming) => {
        const status = incoming.statusCode ?? 500;
        const responseHeaders = toHeaders(incoming);
        const finish = () => signal?.removeEventListener('abort', onAbort);
        const streamed = (incoming.headers['content-type'] ?? '').includes('text/event-stream');
        if (streamed) {
          incoming.on('close', finish);
          const body = Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
          resolve(new Response(body, { status, headers: responseHeaders }));
          return;
        }
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', (error) => {
          finish();
          reject(signal?.aborted ? abortError(signal) : error);
        });
        incoming.on('end', () => {
          finish();
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
        });
      });
      outgoing.end(bodyOf(init.body));
    });

  return {
    fetch: keepAliveFetch as typeof fetch,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
