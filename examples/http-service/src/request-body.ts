import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@forge1/core';
import type { Context } from 'hono';

/** The body was larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('Request body too large');
    this.name = 'BodyTooLargeError';
  }
}

/** Node's request and response, present when the app runs under @hono/node-server. */
function nodeBindings(c: Context): { incoming: IncomingMessage; outgoing: ServerResponse } | undefined {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  return env?.incoming && env.outgoing ? { incoming: env.incoming, outgoing: env.outgoing } : undefined;
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(incoming.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    incoming.once('error', reject);
  });
}

async function readText(c: Context, maxBytes: number): Promise<string> {
  const node = nodeBindings(c);
  if (node) return readIncoming(node.incoming, maxBytes);
  // Other runtimes, and app.fetch() in tests: the web Request.
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new BodyTooLargeError();
  return text;
}

/**
 * Reads and parses a JSON body of at most `maxBytes`. Under @hono/node-server it reads Node's
 * request stream directly: building a web `Request` and its stream for every call costs more
 * than the parsing.
 * @throws BodyTooLargeError; ValidationError when the body is not JSON.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const text = await readText(c, maxBytes);
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
