import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A minimal OpenAI-compatible server for load tests: one fixed chat completion for every POST.
// Run alone, it prints its base URL (`http://127.0.0.1:PORT/v1`) on the first line.

const answer = JSON.stringify({
  id: 'chatcmpl-local',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      finish_reason: 'stop',
      message: {
        role: 'assistant',
        content:
          'Your order left our warehouse yesterday and should arrive within two working days. You can follow it with the tracking link in your confirmation email, and we will write again when it is out for delivery.',
      },
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 44, total_tokens: 56 },
});

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
