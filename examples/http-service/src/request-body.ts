import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@forge1/core';
import type { Context } from 'hono';
import { type HttpError, ServiceErrorCode, serviceError } from './http-error.ts';

/** The body was larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('Request body too large');
    this.name = 'BodyTooLargeError';
  }
}

/** The body did not arrive in time. */
export class BodyTimeoutError extends Error {
  constructor(ms: number) {
    super(`Request body not received within ${ms} ms`);
    this.name = 'BodyTimeoutError';
  }
}

/** Limits on reading a body: its size, and how long the client may take to send it. */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** Node's request and response, present when the app runs under @hono/node-server. */
function nodeBindings(c: Context): { incoming: IncomingMessage; outgoing: ServerResponse } | undefined {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  return env?.incoming && env.outgoing ? { incoming: env.incoming, outgoing: env.outgoing } : undefined;
}

function readIncoming(incoming: IncomingMessage, { maxBytes, timeoutMs }: BodyLimits): Promise<string> {
  const declared = Number(incoming.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A client that trickles its body (or stops sending) holds a connection and a buffer: give up
    // after timeoutMs, whatever has arrived, and close the connection.
    const timer = setTimeout(() => {
      incoming.removeAllListeners('data');
      incoming.pause();
      reject(new BodyTimeoutError(timeoutMs));
      // The 408 goes out with `connection: close`; a client that does not read it loses the socket anyway.
      setTimeout(() => incoming.destroy(), 1000).unref();
    }, timeoutMs);
    const stop = () => clearTimeout(timer);
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('end', () => {
      stop();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    });
    incoming.once('error', (error) => {
      stop();
      reject(error);
    });
  });
}

async function readText(c: Context, limits: BodyLimits): Promise<string> {
  const { maxBytes } = limits;
  const node = nodeBindings(c);
  if (node) return readIncoming(node.incoming, limits);
  // Other runtimes, and app.fetch() in tests: the web Request.
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new BodyTooLargeError();
  return text;
}

/**
 * Reads and parses a JSON body of at most `maxBytes`, received within `timeoutMs`. Under @hono/node-server it reads Node's
 * request stream directly: building a web `Request` and its stream for every call costs more
 * than the parsing.
 * @throws BodyTooLargeError, BodyTimeoutError; ValidationError when the body is not JSON.
 */
export async function readJsonBody(c: Context, limits: BodyLimits): Promise<unknown> {
  const text = await readText(c, limits);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('chat request', [{ path: '', message: 'expected a JSON body' }]);
  }
}

/**
 * A signal that aborts when the client goes away before the answer is complete: from Node's
 * response under @hono/node-server, from the web Request elsewhere.
 */
export function clientGone(c: Context): AbortSignal {
  const node = nodeBindings(c);
  if (!node) return c.req.raw.signal;
  const controller = new AbortController();
  const { outgoing } = node;
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
}

/** The answer to a body that was too large (413) or too slow (408, connection closed), else undefined. */
export function bodyRefusal(thrown: unknown): HttpError | undefined {
  if (thrown instanceof BodyTooLargeError)
    return serviceError(413, ServiceErrorCode.tooLarge, thrown.message);
  if (thrown instanceof BodyTimeoutError) {
    return serviceError(408, ServiceErrorCode.bodyTimeout, thrown.message, { connection: 'close' });
  }
  return undefined;
}
