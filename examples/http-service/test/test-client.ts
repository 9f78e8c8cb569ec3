/** One answer as the tests saw it: status, headers and raw body. */
export interface Seen {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Splits an SSE body into events (`event:` defaults to `message`). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return { event, data: data.join('\n') };
    });
}

/** A fetch client for the tests that keeps every answer, to check later that none leaked a secret. */
export function createTestClient(baseUrl: () => string) {
  const seen: Seen[] = [];
  async function request(path: string, init: RequestInit = {}): Promise<Seen & { json<T = unknown>(): T }> {
    const response = await fetch(`${baseUrl()}${path}`, init);
    const text = await response.text();
    const answer: Seen = { status: response.status, headers: Object.fromEntries(response.headers), text };
    seen.push(answer);
    return { ...answer, json: <T>() => JSON.parse(text) as T };
  }
  const chat = (body: unknown, headers: Record<string, string>) =>
    request('/v1/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { request, chat, seen };
}
