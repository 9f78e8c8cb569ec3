import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppOptions, createApp, type HttpService } from './app.ts';

/** Options of {@link startServer}: the app's options plus where to listen. */
export interface ServerOptions extends AppOptions {
  /** Port; 0 picks a free one. @default 3000 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

/** A listening service. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  service: HttpService;
  /** Stops accepting connections, drops idle keep-alive sockets, then closes the service. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates the app and serves it with `@hono/node-server`.
 * @throws ValidationError on bad options; the listen error when the port is taken.
 * @example
 * ```ts
 * const server = await startServer({ port: 0 });
 * await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'x-tenant-id': 'acme-bank' }, body });
 * await server.close();
 * ```
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const service = await createApp(options);
  const host = options.host ?? '127.0.0.1';
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const created = serve({
        fetch: service.app.fetch,
        port: options.port ?? 3000,
        hostname: host,
      }) as Server;
      created.once('error', reject);
      created.once('listening', () => {
        created.off('error', reject);
        resolve(created);
      });
    });
  } catch (error) {
    await service.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    service,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await stopped;
        await service.close();
      })();
      return closing;
    },
  };
}
