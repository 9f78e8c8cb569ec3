import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { minimalCompletion as answer } from './minimal-completion.ts';

// A minimal OpenAI-compatible server for load tests: one fixed chat completion for every POST.
// Run alone, it prints its base URL (`http://127.0.0.1:PORT/v1`) on the first line.

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
    });
    response.end(answer);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
});
