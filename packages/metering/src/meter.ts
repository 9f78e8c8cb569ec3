import { resolve as resolvePath } from 'node:path';
import {
  ClosedError,
  ErrorCode,
  type EventBus,
  Forge1Error,
  type MeterSinkV1,
  parseUsageRecord,
  sleep,
  systemClock,
  type UsageRecord,
  wrapSink,
} from '@forge1/core';
import { type FileJournal, openFileJournal } from './journal/file-journal.js';
import { type MeterOptions, parseMeterOptions } from './meter-options.js';
import { ownBatch, ownRecord } from './owned-records.js';
import { withDeadline } from './sink-deadline.js';

export type { Meter, MeterStats, SinkStats } from './meter-types.js';

import type { Meter } from './meter-types.js';

interface SinkState {
  sink: ReturnType<typeof wrapSink>;
  name: string;
  cursor: number;
  failures: number;
  timer: unknown;
  timerFired: boolean;
  wake: (() => void) | undefined;
  abandon: AbortController;
  loop: Promise<void>;
}

/**
 * Creates the meter. `record()` validates a record and appends it to the journal; it resolves
 * once the record's group commit (one write and one fsync shared by every record waiting) is
 * on disk. Each sink then receives batches through its own cursor into the journal, with
 * retry and exponential backoff: a failing sink holds back neither the others nor the caller.
 * Only the latest `maxBuffered` records stay in memory; a sink that falls further behind
 * reads back from the journal. At start, whatever a sink had not acknowledged is replayed,
 * and journal segments every sink has acknowledged are deleted.
 *
 * Delivery is at least once; the built-in sinks store each id once.
 *
 * @throws ValidationError on bad options (e.g. two sinks with the same name).
 * @example
 * ```ts
 * const sink = createSqliteSink({ path: './data/usage.db' });
 * const meter = createMeter({ sinks: [sink], journal: './data/journal' });
 * await meter.record(record); // durable from here on
 * await meter.close();
 * ```
 */
export function createMeter(options: MeterOptions): Meter {
  const parsed = parseMeterOptions(options);
  const clock = parsed.clock ?? systemClock;
  const events: EventBus | undefined = parsed.events;
  const random = parsed.random ?? Math.random;
  const batchSize = parsed.batchSize ?? 500;
  const flushIntervalMs = parsed.flushIntervalMs ?? 1000;
  const maxBuffered = Math.max(parsed.maxBuffered ?? 10_000, 1);
  const drainTimeoutMs = parsed.drainTimeoutMs ?? 30_000;
  const writeTimeoutMs = parsed.writeTimeoutMs ?? 30_000;
  const initialDelayMs = parsed.retry?.initialDelayMs ?? 100;
  const maxDelayMs = parsed.retry?.maxDelayMs ?? 30_000;
  const journalSetting = parsed.journal ?? '.forge1/metering-journal';
  const journalOptions = typeof journalSetting === 'string' ? { directory: journalSetting } : journalSetting;

  let journal: FileJournal | undefined;
  let committed = 0;
  let buffer: UsageRecord[] = [];
  let head = 0;
  let bufferStart = 0;
  let closing = false;
  let closed: Promise<void> | undefined;
  const inFlight = new Set<Promise<void>>();
  const flushWaiters: Array<{ target: number; resolve(): void }> = [];
  const states: SinkState[] = parsed.sinks.map((sink: MeterSinkV1) => ({
    sink: wrapSink(sink),
    name: sink.name,
    cursor: 0,
    failures: 0,
    timer: undefined,
    timerFired: false,
    wake: undefined,
    abandon: new AbortController(),
    loop: Promise.resolve(),
  }));

  const buffered = () => buffer.length - head;
  // Runs on every record: a loop, not an array and a spread call.
  const minimumCursor = () => {
    let minimum = committed;
    for (const state of states) if (state.cursor < minimum) minimum = state.cursor;
    return minimum;
  };

  const dropHead = (count: number) => {
    head += count;
    bufferStart += count;
    if (head > 4096 && head * 2 > buffer.length) {
      buffer = buffer.slice(head);
      head = 0;
    }
  };

  const trim = () => {
    const behind = minimumCursor() - bufferStart;
    if (behind > 0) dropHead(Math.min(behind, buffered()));
    // Records beyond the memory bound stay in the journal only.
    if (journal && buffered() > maxBuffered) dropHead(buffered() - maxBuffered);
  };

  const wakeAll = () => {
    for (const state of states) {
      const wake = state.wake;
      if (wake === undefined || !wouldAct(state)) continue;
      state.wake = undefined;
      wake();
    }
  };

  const onCommit = (first: number, records: UsageRecord[]) => {
    if (buffered() === 0) {
      buffer = [];
      head = 0;
      bufferStart = first;
    }
    for (const record of records) buffer.push(record);
    committed = first + records.length;
    trim();
    wakeAll();
  };

  const urgent = (state: SinkState) =>
    closing || state.timerFired || flushWaiters.some((waiter) => waiter.target > state.cursor);
  // Whether a sink's idle loop, woken now, would do anything but wait again: write a full batch,
  // write at once (closing, its interval elapsed, a flush waits), or start its interval's timer.
  // Records that arrive while the timer runs leave the loop asleep.
  const wouldAct = (state: SinkState) =>
    state.timer === undefined || committed - state.cursor >= batchSize || urgent(state);

  const read = async (from: number, max: number): Promise<{ records: UsageRecord[]; next: number }> => {
    if (from >= bufferStart && from < bufferStart + buffered()) {
      const start = head + (from - bufferStart);
      const records = ownBatch(buffer.slice(start, Math.min(start + max, buffer.length)));
      return { records, next: from + records.length };
    }
    if (!journal) return { records: [], next: Math.max(from, bufferStart) };
    return journal.read(from, from < bufferStart ? Math.min(max, bufferStart - from) : max);
  };

  let saving: Promise<void> | undefined;
  let dirty = false;
  const persistCursors = () => {
    dirty = true;
    if (saving || !journal) return;
    const target = journal;
    saving = (async () => {
      while (dirty) {
        dirty = false;
        await target
          .acknowledge(new Map(states.map((state) => [state.name, state.cursor])))
          .catch(() => undefined);
      }
      saving = undefined;
    })();
  };

  const settleWaiters = () => {
    const minimum = minimumCursor();
    for (let i = flushWaiters.length - 1; i >= 0; i--) {
      if (flushWaiters[i]!.target <= minimum) flushWaiters.splice(i, 1)[0]!.resolve();
    }
  };

  const backoff = (attempt: number) => {
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(base * (0.5 + random() / 2));
  };

  /** Reports a failure, then waits out the backoff; false when the sink is being abandoned. */
  const failed = async (state: SinkState, error: unknown, attempt: number): Promise<boolean> => {
    state.failures += 1;
    events?.emit('sink.error', {
      sink: state.name,
      errorCode: Forge1Error.is(error) ? error.code : ErrorCode.internal,
      message: error instanceof Error ? error.message : String(error),
      attempt,
    });
    if (state.abandon.signal.aborted) return false;
    try {
      await sleep(backoff(attempt), { clock, signal: state.abandon.signal, background: true });
      return true;
    } catch {
      return false;
    }
  };

  const deliver = async (state: SinkState, records: UsageRecord[]): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const bound = {
          clock,
          timeoutMs: writeTimeoutMs,
          signal: state.abandon.signal,
          what: `sink ${state.name}`,
        };
        await withDeadline(state.sink.write(records), bound);
        state.failures = 0;
        return true;
      } catch (error) {
        if (!(await failed(state, error, attempt))) return false;
      }
    }
  };

  const idle = (state: SinkState) =>
    new Promise<void>((resolve) => {
      state.wake = resolve;
    });

  const run = async (state: SinkState) => {
    while (!state.abandon.signal.aborted) {
      const available = committed - state.cursor;
      if (available <= 0) {
        if (closing) return;
        await idle(state);
        continue;
      }
      if (available < batchSize && !urgent(state)) {
        state.timer ??= clock.setTimeout(
          () => {
            state.timer = undefined;
            state.timerFired = true;
            const wake = state.wake;
            state.wake = undefined;
            wake?.();
          },
          flushIntervalMs,
          { background: true },
        );
        await idle(state);
        continue;
      }
      if (state.timer !== undefined) clock.clearTimeout(state.timer);
      state.timer = undefined;
      state.timerFired = false;
      let batch: { records: UsageRecord[]; next: number };
      try {
        batch = await read(state.cursor, batchSize);
      } catch (error) {
        if (!(await failed(state, error, 1))) return;
        continue;
      }
      const { records, next } = batch;
      if (records.length > 0 && !(await deliver(state, records))) return;
      state.cursor = Math.max(state.cursor, next);
      trim();
      persistCursors();
      settleWaiters();
    }
  };

  const start = async () => {
    if (journalOptions) {
      journal = await openFileJournal(resolvePath(journalOptions.directory), {
        segmentBytes: journalOptions.segmentBytes ?? 8 * 2 ** 20,
        compactBytes: journalOptions.compactBytes ?? 2 ** 20,
        sync: journalOptions.sync ?? true,
        onCommit,
      });
      committed = journal.next;
      bufferStart = committed;
      for (const state of states) {
        const saved = journal.savedCursors.get(state.name) ?? journal.first;
        state.cursor = Math.min(Math.max(saved, journal.first), journal.next);
      }
    }
    for (const state of states) state.loop = run(state);
  };
  const started = start();
  started.catch(() => undefined);

  const recordInMemory = (record: UsageRecord) => {
    if (committed - minimumCursor() >= maxBuffered) {
      throw new Forge1Error(
        ErrorCode.internal,
        `meter buffer full (${maxBuffered} records wait for a sink)`,
        {
          retryable: true,
        },
      );
    }
    onCommit(committed, [record]);
  };

  const track = (promise: Promise<void>) => {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  };

  const flush = async () => {
    await started;
    await Promise.allSettled([...inFlight]);
    const target = committed;
    if (minimumCursor() >= target) return;
    await new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        const index = flushWaiters.indexOf(waiter);
        if (index >= 0) flushWaiters.splice(index, 1);
        const lagging = states.filter((state) => state.cursor < target).map((state) => state.name);
        reject(
          new Forge1Error(
            ErrorCode.internal,
            `sinks ${lagging.join(', ')} did not drain in ${drainTimeoutMs} ms`,
            {
              retryable: true,
            },
          ),
        );
      }, drainTimeoutMs);
      const waiter = {
        target,
        resolve: () => {
          clock.clearTimeout(timer);
          resolve();
        },
      };
      flushWaiters.push(waiter);
      wakeAll();
    });
  };

  return {
    specificationVersion: 'v1',
    ready: () => started,
    async record(input) {
      if (closing) throw new ClosedError('meter');
      // The parsed record is a new object (the check copies its input): the meter's own.
      const parsed = parseUsageRecord(input);
      const record = ownRecord(parsed === input ? { ...parsed } : parsed);
      if (!journal) {
        await started;
        if (!journal) return recordInMemory(record);
      }
      return track(journal.append(`${JSON.stringify(record)}\n`, record));
    },
    flush,
    close() {
      closed ??= (async () => {
        closing = true;
        const opened = await started.then(
          () => true,
          () => false,
        );
        if (opened) {
          await flush().catch(() => undefined);
          for (const state of states) {
            state.abandon.abort();
            if (state.timer !== undefined) clock.clearTimeout(state.timer);
          }
          wakeAll();
          await Promise.all(states.map((state) => state.loop));
          await saving;
          if (journal) {
            await journal
              .acknowledge(new Map(states.map((state) => [state.name, state.cursor])), true)
              .catch(() => undefined);
            await journal.close();
          }
        }
        const bound = { clock, timeoutMs: writeTimeoutMs, signal: new AbortController().signal };
        await Promise.allSettled(
          states.map((state) =>
            withDeadline(state.sink.close(), { ...bound, what: `sink ${state.name} close` }),
          ),
        );
      })();
      return closed;
    },
    stats: () => ({
      committed,
      buffered: buffered(),
      journalBytes: journal?.journalBytes ?? 0,
      sinks: states.map((state) => ({
        name: state.name,
        cursor: state.cursor,
        lag: committed - state.cursor,
        failures: state.failures,
      })),
    }),
  };
}
