import { parseUsageRecord, type UsageRecord } from '@forge1/core';
import type { NatsConnection } from 'nats';

/**
 * Every usage record a JetStream stream holds, oldest first, one entry per stored message (a
 * record stored twice appears twice). Reads through an ordered consumer, which JetStream
 * removes by itself afterwards; each record is validated with core's schema.
 * @throws ValidationError when a message is not a usage record; the NATS error when the stream is missing.
 * @example
 * ```ts
 * const records = await readStreamRecords(connection, 'FORGE1_USAGE');
 * ```
 */
export async function readStreamRecords(
  connection: NatsConnection,
  stream: string,
  options: { filterSubject?: string } = {},
): Promise<UsageRecord[]> {
  const manager = await connection.jetstreamManager();
  const info = await manager.streams.info(stream);
  const records: UsageRecord[] = [];
  if (info.state.messages === 0) return records;
  const consumer = await connection
    .jetstream()
    .consumers.get(stream, options.filterSubject ? { filterSubjects: options.filterSubject } : {});
  const decoder = new TextDecoder();
  for (;;) {
    const messages = await consumer.fetch({ max_messages: 1000, expires: 2000 });
    let received = 0;
    let pending = 1;
    for await (const message of messages) {
      received++;
      records.push(parseUsageRecord(JSON.parse(decoder.decode(message.data))));
      pending = message.info.pending;
      if (pending === 0) break;
    }
    if (received === 0 || pending === 0) return records;
  }
}
