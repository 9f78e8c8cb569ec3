import { type FileHandle, mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, type MeterSinkV1, parseWith, systemClock, type UsageRecord } from '@forge1/core';
import { z } from 'zod';
import { readBatch } from './sink-batch.js';

/** Options of {@link createJsonlSink}. */
export interface JsonlSinkOptions {
  /** Directory of the files (created when missing). */
  directory: string;
  /** Sink name. @default 'jsonl' */
  name?: string;
  /** File name prefix: files are `<prefix>-<start time>-<n>.jsonl`. @default 'usage' */
  prefix?: string;
  /** Start a new file once the current one reaches this size. @default 64 MiB */
  maxBytes?: number;
  /** Start a new file once the current one is this old. @default 86 400 000 (a day) */
  maxAgeMs?: number;
  /** fsync after each batch. @default true */
  sync?: boolean;
  clock?: Clock;
}

const schema = z
  .object({
    directory: z.string().min(1),
    name: z.string().min(1).optional(),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    maxBytes: z.number().int().positive().optional(),
    maxAgeMs: z.number().int().positive().optional(),
    sync: z.boolean().optional(),
    clock: z.custom<Clock>().optional(),
  })
  .strict();

/** A sink that appends one JSON record per line to rotating files. */
export interface JsonlSink extends MeterSinkV1 {
  init(): Promise<void>;
  close(): Promise<void>;
  /** Files written so far (and found at init), oldest first. */
  files(): Promise<string[]>;
}

const stamp = (time: number) => new Date(time).toISOString().replace(/[-:]/g, '').replace('.', '');

/**
 * Creates a JSONL sink: batches are appended to the current file, rotated by size and age.
 * Idempotent by id: the ids in the directory's files are loaded at init, and a record whose
 * id was written before is skipped (ids of files moved out of the directory are forgotten).
 * @throws ValidationError on bad options.
 * @example
 * ```ts
 * const sink = createJsonlSink({ directory: './usage', maxBytes: 16 * 2 ** 20 });
 * ```
 */
export function createJsonlSink(options: JsonlSinkOptions): JsonlSink {
  const parsed = parseWith(schema, options, 'JSONL sink options');
  const clock = parsed.clock ?? systemClock;
  const prefix = parsed.prefix ?? 'usage';
  const maxBytes = parsed.maxBytes ?? 64 * 2 ** 20;
  const maxAgeMs = parsed.maxAgeMs ?? 86_400_000;
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}-\\d{8}T\\d{9}Z-\\d+\\.jsonl$`);
  const seen = new Set<string>();
  let current: { handle: FileHandle; path: string; size: number; openedAt: number } | undefined;
  let counter = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  const listFiles = async () =>
    (await readdir(parsed.directory).catch(() => [] as string[])).filter((name) => pattern.test(name)).sort();

  const rotate = async () => {
    await current?.handle.close();
    const openedAt = clock.now();
    counter += 1;
    const path = join(parsed.directory, `${prefix}-${stamp(openedAt)}-${counter}.jsonl`);
    current = { handle: await open(path, 'a'), path, size: 0, openedAt };
  };

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };

  return {
    specificationVersion: 'v1',
    name: parsed.name ?? 'jsonl',
    async init() {
      await mkdir(parsed.directory, { recursive: true });
      for (const name of await listFiles()) {
        counter = Math.max(counter, Number(/-(\d+)\.jsonl$/.exec(name)![1]));
        for (const line of (await readFile(join(parsed.directory, name), 'utf8')).split('\n')) {
          if (!line) continue;
          try {
            seen.add(String((JSON.parse(line) as { id: unknown }).id));
          } catch {
            // A torn last line (crash mid-write) was never acknowledged; it is written again.
          }
        }
      }
    },
    write(batch) {
      return serial(async () => {
        const fresh: UsageRecord[] = [];
        const batchIds = new Set<string>();
        for (const record of readBatch(batch, 'jsonlSink.write')) {
          if (seen.has(record.id) || batchIds.has(record.id)) continue;
          batchIds.add(record.id);
          fresh.push(record);
        }
        if (fresh.length === 0) return;
        if (!current || current.size >= maxBytes || clock.now() - current.openedAt >= maxAgeMs)
          await rotate();
        const file = current!;
        const bytes = Buffer.from(fresh.map((record) => `${JSON.stringify(record)}\n`).join(''));
        await file.handle.write(bytes, 0, bytes.length);
        if (parsed.sync ?? true) await file.handle.datasync();
        file.size += bytes.length;
        for (const id of batchIds) seen.add(id);
      });
    },
    async files() {
      return (await listFiles()).map((name) => join(parsed.directory, name));
    },
    close() {
      return serial(async () => {
        if (closed) return;
        closed = true;
        await current?.handle.close();
        current = undefined;
      });
    },
  };
}
