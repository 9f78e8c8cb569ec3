import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UsageRecord } from '@forge1/core';
import { createWebhookSink, signWebhookBody, verifyWebhookSignature } from '@forge1/metering';
import { runSinkConformance, sampleUsageRecords } from '@forge1/metering/testing';
import { afterEach, describe, expect, it } from 'vitest';

const SECRET = 'whsec-test-0123456789abcdef';

/** A receiver that checks signatures and stores records once per id; `failNext` answers 503 first. */
async function startReceiver() {
  const stored = new Map<string, UsageRecord>();
  const requests: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const state = { failNext: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: request.headers, body });
      if (state.failNext > 0) {
        state.failNext -= 1;
        response.writeHead(503).end();
        return;
      }
      const signature = request.headers['x-forge1-signature'] as string | undefined;
      const timestamp = request.headers['x-forge1-timestamp'] as string | undefined;
      // The test clocks may be far from real time: the signature is what this receiver checks here.
      if (!verifyWebhookSignature({ body, signature, timestamp, secret: SECRET, now: Number(timestamp) })) {
        response.writeHead(401).end();
        return;
      }
      for (const record of (JSON.parse(body) as { records: UsageRecord[] }).records) {
        if (!stored.has(record.id)) stored.set(record.id, record);
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage`;
  return {
    url,
    stored,
    requests,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

runSinkConformance('webhook', async () => {
  const receiver = await startReceiver();
  return {
    sink: createWebhookSink({ url: receiver.url, secret: SECRET }),
    stored: async () => [...receiver.stored.values()],
    dispose: receiver.close,
  };
});

describe('createWebhookSink', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  afterEach(() => receiver?.close());

  it('signs the body with HMAC-SHA256 and stamps the time', async () => {
    receiver = await startReceiver();
    const clock = { now: () => 1_767_225_600_000, setTimeout, clearTimeout };
    const sink = createWebhookSink({ url: receiver.url, secret: SECRET, clock });
    await sink.write(sampleUsageRecords(2));
    const [request] = receiver.requests;
    expect(request!.headers['x-forge1-signature']).toBe(
      signWebhookBody(request!.body, '1767225600000', SECRET),
    );
    expect(request!.headers['x-forge1-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(request!.headers['x-forge1-timestamp']).toBe('1767225600000');
    expect(request!.body).not.toContain(SECRET);
  });

  it('retries a 503 and then delivers', async () => {
    receiver = await startReceiver();
    receiver.state.failNext = 2;
    const sink = createWebhookSink({ url: receiver.url, secret: SECRET, retryDelayMs: 0 });
    await sink.write(sampleUsageRecords(3));
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.stored.size).toBe(3);
  });

  it('gives up after its attempts with a retryable error the meter retries later', async () => {
    receiver = await startReceiver();
    receiver.state.failNext = 5;
    const sink = createWebhookSink({ url: receiver.url, secret: SECRET, retryDelayMs: 0, attempts: 2 });
    await expect(sink.write(sampleUsageRecords(1))).rejects.toMatchObject({
      retryable: true,
      message: /503/,
    });
    expect(receiver.requests).toHaveLength(2);
  });

  it('does not retry a refused signature', async () => {
    receiver = await startReceiver();
    const sink = createWebhookSink({ url: receiver.url, secret: 'another-secret', retryDelayMs: 0 });
    await expect(sink.write(sampleUsageRecords(1))).rejects.toMatchObject({
      retryable: false,
      message: /401/,
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('rejects an invalid url and never shows the secret in errors', () => {
    let message = '';
    try {
      createWebhookSink({ url: 'ftp://x', secret: SECRET });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/url/);
    expect(message).not.toContain(SECRET);
  });

  it('verifies signatures in constant time and refuses a missing header', () => {
    const body = '{"records":[]}';
    const at = 1_767_225_600_000;
    const timestamp = String(at);
    const check = (change: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({
        body,
        signature: signWebhookBody(body, timestamp, SECRET),
        timestamp,
        secret: SECRET,
        now: at + 1_000,
        ...change,
      });
    expect(check({})).toBe(true);
    expect(check({ signature: signWebhookBody(`${body} `, timestamp, SECRET) })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
  });

  it('signs the timestamp too, so that a captured request cannot be re-stamped', () => {
    const body = '{"records":[]}';
    const old = '1767225600000';
    const signature = signWebhookBody(body, old, SECRET);
    const later = 1_767_225_600_000 + 3_600_000;
    // Replayed as it was: too old. Replayed with a fresh timestamp: the signature no longer matches.
    expect(verifyWebhookSignature({ body, signature, timestamp: old, secret: SECRET, now: later })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({ body, signature, timestamp: String(later), secret: SECRET, now: later }),
    ).toBe(false);
  });

  it('refuses timestamps outside the tolerance on either side, and malformed ones', () => {
    const body = 'x';
    const at = 1_767_225_600_000;
    const signed = (timestamp: string) => ({
      body,
      signature: signWebhookBody(body, timestamp, SECRET),
      timestamp,
      secret: SECRET,
    });
    expect(verifyWebhookSignature({ ...signed(String(at)), now: at + 300_000 })).toBe(true);
    expect(verifyWebhookSignature({ ...signed(String(at)), now: at + 300_001 })).toBe(false);
    expect(verifyWebhookSignature({ ...signed(String(at)), now: at - 300_001 })).toBe(false);
    expect(verifyWebhookSignature({ ...signed(String(at)), now: at + 10_000, toleranceMs: 5_000 })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...signed('12e3'), now: 12_000 })).toBe(false);
  });
});
