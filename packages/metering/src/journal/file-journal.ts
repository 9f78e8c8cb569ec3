import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, ErrorCode, Forge1Error, type UsageRecord } from '@forge1/core';

/** Entries between two offsets kept in a segment's sparse index. */
const STRIDE = 64;
const SEGMENT_NAME = /^(\d{16})\.jsonl$/;
const READ_CHUNK = 256 * 1024;

interface Segment {
  base: number;
  count: number;
  size: number;
  path: string;
  /** Byte offset of entry `k * STRIDE`. */
  index: number[];
}

/** Options of {@link openFileJournal}. */
export interface FileJournalOptions {
  /** Roll to a new segment file past this size. */
  segmentBytes: number;
  /** Replace a fully acknowledged active segment by an empty one past this size. */
  compactBytes: number;
  /** fsync each group (off only for benchmarks of the rest of the pipeline). */
  sync: boolean;
  /** Called with each durable group, before its appends resolve. */
  onCommit(firstSeq: number, records: UsageRecord[]): void;
}

/** What was read from the journal: records, and the sequence number after the last entry read. */
export interface JournalRead {
  records: UsageRecord[];
  next: number;
}

/**
 * An append-only, segmented, group-committed journal of usage records in one directory.
 * Every entry has a sequence number; sinks' cursors (acknowledged sequence numbers) are kept
 * beside the segments, and segments every sink has acknowledged are deleted.
 */
export interface FileJournal {
  /** Sequence number of the next entry; every entry below it is durable. */
  readonly next: number;
  /** Oldest sequence number still in the journal. */
  readonly first: number;
  /** Cursors saved by the last run, by sink name. */
  readonly savedCursors: ReadonlyMap<string, number>;
  /** Appends one record; resolves once its group is written and fsynced. */
  append(line: string, record: UsageRecord): Promise<void>;
  read(from: number, max: number): Promise<JournalRead>;
  /** Saves cursors, then deletes what every cursor has passed. */
  acknowledge(cursors: ReadonlyMap<string, number>, force?: boolean): Promise<void>;
  readonly journalBytes: number;
  close(): Promise<void>;
}

const segmentName = (base: number) => `${String(base).padStart(16, '0')}.jsonl`;

const ioError = (message: string, cause: unknown) =>
  new Forge1Error(ErrorCode.internal, message, { cause, retryable: true });

async function takeLock(directory: string): Promise<string> {
  const path = join(directory, 'lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Forge1Error(ErrorCode.internal, `journal ${directory} is in use by process ${holder}`);
      }
      await rm(path, { force: true });
    }
  }
  throw new Forge1Error(ErrorCode.internal, `could not lock journal ${directory}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Counts complete lines, indexes them, and cuts a torn tail (a write that never completed). */
async function scanSegment(path: string, base: number): Promise<Segment> {
  const handle = await open(path, 'r+');
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const index: number[] = [];
    let position = 0;
    let count = 0;
    let lineStart = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        if (buffer[i] !== 10) continue;
        if (count % STRIDE === 0) index.push(lineStart);
        count += 1;
        lineStart = position + i + 1;
      }
      position += bytesRead;
    }
    if (position > lineStart) await handle.truncate(lineStart);
    return { base, count, size: lineStart, path, index };
  } finally {
    await handle.close();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Not every platform can fsync a directory; the files themselves are synced.
  }
}

/**
 * Opens the journal in `directory` (created when missing): scans the segments, cuts torn
 * tails, loads the saved cursors, and locks the directory against a second live process.
 * @throws Forge1Error (internal) when another live process holds the directory; ConfigurationError when the
 * directory cannot be created (a file in its place, no permission).
 */
export async function openFileJournal(directory: string, options: FileJournalOptions): Promise<FileJournal> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    // EEXIST (a file where the folder should be), EACCES, ENOTDIR…: the host's configuration.
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new ConfigurationError(`The meter's journal folder "${directory}" cannot be created (${code})`, {
      cause: error,
    });
  }
  const lockPath = await takeLock(directory);
  const cursorPath = join(directory, 'cursors.json');
  const savedCursors = new Map<string, number>();
  let savedNext = 0;
  try {
    const saved = JSON.parse(await readFile(cursorPath, 'utf8')) as {
      next?: number;
      sinks?: Record<string, number>;
    };
    savedNext = Number(saved.next ?? 0);
    for (const [name, seq] of Object.entries(saved.sinks ?? {})) savedCursors.set(name, Number(seq));
  } catch {
    // No cursors yet (first run) or an unreadable file: replay everything the journal holds.
  }

  const names = (await readdir(directory)).filter((name) => SEGMENT_NAME.test(name)).sort();
  const segments: Segment[] = [];
  for (const name of names) {
    const base = Number(SEGMENT_NAME.exec(name)![1]);
    segments.push(await scanSegment(join(directory, name), base));
  }
  const last = segments.at(-1);
  let next = Math.max(last ? last.base + last.count : 0, savedNext);
  if (!last || last.base + last.count < next) {
    segments.push({ base: next, count: 0, size: 0, path: join(directory, segmentName(next)), index: [] });
  }
  let active = segments.at(-1)!;
  let handle: FileHandle = await open(active.path, 'a');
  let journalBytes = segments.reduce((sum, segment) => sum + segment.size, 0);
  let closed = false;

  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };

  const roll = async () => {
    await handle.close();
    active = { base: next, count: 0, size: 0, path: join(directory, segmentName(next)), index: [] };
    segments.push(active);
    handle = await open(active.path, 'a');
    await syncDirectory(directory);
  };

  interface Pending {
    line: string;
    record: UsageRecord;
    resolve(): void;
    reject(error: unknown): void;
  }
  let queue: Pending[] = [];
  let writing = false;

  const writeGroup = async (group: Pending[]) => {
    const text = group.map((entry) => entry.line).join('');
    const bytes = Buffer.from(text);
    try {
      await handle.write(bytes, 0, bytes.length);
      if (options.sync) await handle.datasync();
    } catch (error) {
      await handle.truncate(active.size).catch(() => undefined);
      const failure = ioError(`journal write failed: ${(error as Error).message}`, error);
      for (const entry of group) entry.reject(failure);
      return;
    }
    let offset = active.size;
    for (const entry of group) {
      if (active.count % STRIDE === 0) active.index.push(offset);
      active.count += 1;
      offset += Buffer.byteLength(entry.line);
    }
    active.size = offset;
    journalBytes += bytes.length;
    const first = next;
    next += group.length;
    options.onCommit(
      first,
      group.map((entry) => entry.record),
    );
    for (const entry of group) entry.resolve();
    if (active.size >= options.segmentBytes) await roll();
  };

  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      await serial(() => writeGroup(group)).catch((error: unknown) => {
        for (const entry of group) entry.reject(error);
      });
    }
    writing = false;
  };

  const readSegment = async (segment: Segment, from: number, max: number, out: UsageRecord[]) => {
    const k = from - segment.base;
    const slot = Math.floor(k / STRIDE);
    let position = segment.index[slot] ?? 0;
    let skip = k - slot * STRIDE;
    let consumed = 0;
    const file = await open(segment.path, 'r');
    try {
      let carry = '';
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      while (consumed < max && position < segment.size) {
        const length = Math.min(READ_CHUNK, segment.size - position);
        const { bytesRead } = await file.read(buffer, 0, length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const lines = (carry + buffer.toString('utf8', 0, bytesRead)).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          if (skip > 0) {
            skip -= 1;
            continue;
          }
          if (consumed >= max) break;
          consumed += 1;
          try {
            out.push(JSON.parse(line) as UsageRecord);
          } catch {
            // A corrupt entry cannot be delivered; its sequence number is passed over.
          }
        }
      }
    } finally {
      await file.close();
    }
    return consumed;
  };

  return {
    get next() {
      return next;
    },
    get first() {
      return segments[0]?.base ?? next;
    },
    get journalBytes() {
      return journalBytes;
    },
    savedCursors,
    append(line, record) {
      if (closed) return Promise.reject(new Forge1Error(ErrorCode.closed, 'journal is closed'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ line, record, resolve, reject });
        if (!writing) void drain();
      });
    },
    async read(from, max) {
      const records: UsageRecord[] = [];
      let at = Math.max(from, segments[0]?.base ?? from);
      const end = next;
      for (const segment of [...segments]) {
        if (at >= end || records.length >= max) break;
        if (at >= segment.base + segment.count) continue;
        const wanted = Math.min(max - records.length, segment.base + segment.count - at);
        const before = records.length;
        const consumed = await readSegment({ ...segment }, at, wanted, records);
        at += consumed;
        if (consumed === 0 && records.length === before) break;
      }
      return { records, next: at };
    },
    acknowledge(cursors, force = false) {
      return serial(async () => {
        if (closed) return;
        const sinks = Object.fromEntries(cursors);
        const tmp = `${cursorPath}.tmp`;
        await writeFile(tmp, JSON.stringify({ next, sinks }));
        await rename(tmp, cursorPath);
        const minimum = Math.min(next, ...cursors.values());
        while (segments.length > 1 && segments[0]!.base + segments[0]!.count <= minimum) {
          const done = segments.shift()!;
          journalBytes -= done.size;
          await unlink(done.path).catch(() => undefined);
        }
        const caughtUp = minimum >= next && active.count > 0;
        if (caughtUp && (force || active.size >= options.compactBytes)) {
          const done = active;
          await roll();
          segments.splice(segments.indexOf(done), 1);
          journalBytes -= done.size;
          await unlink(done.path).catch(() => undefined);
        }
      });
    },
    async close() {
      if (closed) return;
      await serial(async () => {
        closed = true;
        await handle.close();
        await rm(lockPath, { force: true });
      });
    },
  };
}
