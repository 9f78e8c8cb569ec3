import { ErrorCode, Forge1Error, type MeterSinkV1, type UsageRecord, ValidationError } from '@forge1/core';
import { readSinkBatch } from '@forge1/metering';
import { connect, type JetStreamClient, type NatsConnection, nanos, StorageType } from 'nats';
import { tenantSubject } from './subject.ts';

/** Options of {@link createJetStreamSink}. */
export interface JetStreamSinkOptions {
  /** NATS server URL(s). @default process.env.NATS_URL ?? 'nats://127.0.0.1:4222' */
  servers?: string | string[];
  /** A connection the host already holds; the sink then neither opens nor closes one. */
  connection?: NatsConnection;
  /** Stream the records go to; created at init when missing. @default 'FORGE1_USAGE' */
  stream?: string;
  /** Subject prefix: each record goes to `<prefix>.<tenant>`. @default 'forge1.usage' */
  subjectPrefix?: string;
  /**
   * How long JetStream remembers a message id to drop duplicates. A record delivered again
   * later than this is stored twice, so keep it above the meter's longest replay delay.
   * @default 2 hours
   */
  duplicateWindowMs?: number;
  /** Storage of a stream the sink creates. @default 'file' */
  storage?: 'file' | 'memory';
  /** Publishes awaiting their acknowledgement at once. @default 256 */
  maxInFlight?: number;
  /** Sink name, for events and the meter's journal cursor. @default 'jetstream' */
  name?: string;
}

/** A sink that publishes usage records to NATS JetStream, once per record id. */
export interface JetStreamSink extends MeterSinkV1 {
  init(): Promise<void>;
  close(): Promise<void>;
  /** The stream the records go to. */
  readonly stream: string;
  /** Acknowledged publishes that JetStream dropped as duplicates, since the sink started. */
  readonly duplicates: number;
}

const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;
const apiCode = (error: unknown) => (error as { api_error?: { err_code?: number } })?.api_error?.err_code;

const unavailable = (what: string, error: unknown) =>
  new Forge1Error(ErrorCode.internal, `${what}: ${(error as Error)?.message ?? String(error)}`, {
    retryable: true,
    cause: error,
  });

function checkOptions(options: JetStreamSinkOptions) {
  const issues = [];
  const stream = options.stream ?? 'FORGE1_USAGE';
  const prefix = options.subjectPrefix ?? 'forge1.usage';
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(stream)) {
    issues.push({ path: 'stream', message: 'expected letters, digits, "_" or "-"' });
  }
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    issues.push({ path: 'subjectPrefix', message: 'expected dot-separated tokens without wildcards' });
  }
  const windowMs = options.duplicateWindowMs ?? 2 * 3_600_000;
  if (!Number.isSafeInteger(windowMs) || windowMs < 1000) {
    issues.push({ path: 'duplicateWindowMs', message: 'expected an integer of at least 1000' });
  }
  const maxInFlight = options.maxInFlight ?? 256;
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    issues.push({ path: 'maxInFlight', message: 'expected a positive integer' });
  }
  if (issues.length > 0) throw new ValidationError('JetStream sink options', issues);
  return { stream, prefix, windowMs, maxInFlight };
}

/**
 * A `MeterSinkV1` over NATS JetStream. Each record is published to `<prefix>.<tenant>` with
 * `Nats-Msg-Id` set to the record id, so JetStream drops a record delivered twice within the
 * stream's duplicate window: the meter's at-least-once delivery becomes stored-once. `init`
 * connects and creates the stream when it is missing (subjects `<prefix>.>`); `write`
 * pipelines publishes (up to `maxInFlight` unacknowledged) and resolves once JetStream has
 * acknowledged every record of the batch, or rejects (retryable) so that the meter retries it.
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const sink = createJetStreamSink({ servers: 'nats://127.0.0.1:4222' });
 * const meter = createMeter({ sinks: [sink] });
 * ```
 */
export function createJetStreamSink(options: JetStreamSinkOptions = {}): JetStreamSink {
  const { stream, prefix, windowMs, maxInFlight } = checkOptions(options);
  const servers = options.servers ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  let connection: NatsConnection | undefined;
  let jetstream: JetStreamClient | undefined;
  let duplicates = 0;

  async function ensureStream(nc: NatsConnection) {
    const manager = await nc.jetstreamManager();
    try {
      await manager.streams.info(stream);
      return;
    } catch (error) {
      if (apiCode(error) !== STREAM_NOT_FOUND) throw error;
    }
    try {
      await manager.streams.add({
        name: stream,
        subjects: [`${prefix}.>`],
        duplicate_window: nanos(windowMs),
        storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      });
    } catch (error) {
      // Another process created it first.
      if (apiCode(error) !== STREAM_NAME_IN_USE) throw error;
    }
  }

  async function publishAll(js: JetStreamClient, batch: readonly UsageRecord[]) {
    let next = 0;
    const encoder = new TextEncoder();
    const worker = async () => {
      while (next < batch.length) {
        const record = batch[next++]!;
        const ack = await js.publish(
          tenantSubject(prefix, record.tenantId),
          encoder.encode(JSON.stringify(record)),
          {
            msgID: record.id,
            expect: { streamName: stream },
          },
        );
        if (ack.duplicate) duplicates++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxInFlight, batch.length) }, worker));
  }

  return {
    specificationVersion: 'v1',
    name: options.name ?? 'jetstream',
    stream,
    get duplicates() {
      return duplicates;
    },
    async init() {
      try {
        connection = options.connection ?? (await connect({ servers, name: 'forge1-usage-sink' }));
        await ensureStream(connection);
        jetstream = connection.jetstream();
      } catch (error) {
        if (!options.connection) await connection?.close().catch(() => undefined);
        connection = undefined;
        throw unavailable(`JetStream sink could not open stream ${stream}`, error);
      }
    },
    async write(input) {
      // A malformed batch is refused before anything is published; the meter's own pass as they are.
      const batch = readSinkBatch(input, 'JetStream sink write');
      if (batch.length === 0) return;
      if (!jetstream)
        throw new Forge1Error(ErrorCode.internal, 'JetStream sink used before init', { retryable: true });
      try {
        await publishAll(jetstream, batch);
      } catch (error) {
        throw unavailable(`JetStream sink could not publish to ${stream}`, error);
      }
    },
    async close() {
      const owned = options.connection ? undefined : connection;
      jetstream = undefined;
      connection = undefined;
      // drain() flushes what is buffered, then closes.
      await owned?.drain();
    },
  };
}
