import type { ServerResponse } from 'node:http';
import type { CounterScope } from './counters.js';
import type { StreamFrame, WireError } from './wire.js';

const contentTypes = {
  openai: 'application/json',
  anthropic: 'application/json',
  google: 'application/json; charset=UTF-8',
};

/** Waits `ms` on real timers, or less when `signal` aborts or the client closes `response`. */
export function delay(ms: number, signal: AbortSignal, response?: ServerResponse): Promise<void> {
  if (ms <= 0 || signal.aborted || response?.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      response?.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    response?.once('close', done);
  });
}

/** Writes a JSON response with the provider's content type. */
export function sendJson(
  response: ServerResponse,
  scope: CounterScope,
  status: number,
  body: string,
  headers: Record<string, string>,
): void {
  if (response.destroyed) return;
  response.writeHead(status, {
    'content-type': contentTypes[scope.provider],
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** Sends a provider error: its status, body and extra headers. */
export function sendError(
  response: ServerResponse,
  scope: CounterScope,
  error: WireError,
  body: unknown,
  headers: Record<string, string>,
): void {
  sendJson(response, scope, error.status, JSON.stringify(body), { ...headers, ...error.headers });
}

/** How a stream ends. */
export type StreamEnding =
  | { kind: 'complete' }
  | { kind: 'error'; frame: string }
  | { kind: 'malformed' }
  | { kind: 'drop' };

/** Options of {@link writeStream}. */
export interface StreamWrite {
  frames: StreamFrame[];
  ending: StreamEnding;
  /** Total latency spread over the frames. */
  latencyMs: number;
  signal: AbortSignal;
}

/**
 * Writes SSE frames, spreading the latency between them. A broken ending writes the first half
 * of the frames, then the error event, a cut-off event, or a destroyed socket.
 * Resolves with the answer characters written and whether the stream completed.
 */
export async function writeStream(
  response: ServerResponse,
  write: StreamWrite,
): Promise<{ outputChars: number; complete: boolean }> {
  const { frames, ending } = write;
  const cut = ending.kind === 'complete' ? frames.length : Math.max(1, Math.floor(frames.length / 2));
  const gap = write.latencyMs / Math.max(1, cut);
  let outputChars = 0;
  if (gap <= 0) {
    let text = '';
    for (const frame of frames.slice(0, cut)) {
      text += frame.data;
      outputChars += frame.outputChars;
    }
    await new Promise<void>((resolve) => {
      response.once('close', resolve);
      response.write(text, () => {
        response.off('close', resolve);
        resolve();
      });
    });
  } else {
    for (const frame of frames.slice(0, cut)) {
      await delay(gap, write.signal, response);
      if (response.destroyed || write.signal.aborted) return { outputChars, complete: false };
      response.write(frame.data);
      outputChars += frame.outputChars;
    }
  }
  if (response.destroyed) return { outputChars, complete: false };
  switch (ending.kind) {
    case 'complete':
      response.end();
      return { outputChars, complete: true };
    case 'error':
      response.end(ending.frame);
      return { outputChars, complete: false };
    case 'malformed':
      response.end('data: {"id":"broken","choices":[{"delta":{"content":"trunc\n\n');
      return { outputChars, complete: false };
    case 'drop':
      response.socket?.destroy();
      return { outputChars, complete: false };
  }
}
