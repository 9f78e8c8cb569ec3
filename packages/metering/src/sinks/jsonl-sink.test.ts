import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageRecord } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { createJsonlSink } from '@forge1/metering';
import { runSinkConformance, sampleUsageRecords } from '@forge1/metering/testing';
import { afterEach, describe, expect, it } from 'vitest';

const readAll = (files: string[]) =>
  files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as UsageRecord),
  );

runSinkConformance('jsonl', () => {
  const directory = mkdtempSync(join(tmpdir(), 'forge1-jsonl-'));
  const sink = createJsonlSink({ directory, maxBytes: 256 * 1024 });
  return {
    sink,
    stored: async () => readAll(await sink.files()),
    dispose: async () => rmSync(directory, { recursive: true, force: true }),
  };
});

describe('createJsonlSink', () => {
  const directories: string[] = [];
  const temp = () => {
    const directory = mkdtempSync(join(tmpdir(), 'forge1-jsonl-'));
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('rotates to a new file past maxBytes', async () => {
    const sink = createJsonlSink({ directory: temp(), maxBytes: 2000 });
    await sink.init();
    const records = sampleUsageRecords(30);
    for (let i = 0; i < 30; i += 5) await sink.write(records.slice(i, i + 5));
    const files = await sink.files();
    expect(files.length).toBeGreaterThan(1);
    expect(readAll(files).map((record) => record.id)).toEqual(records.map((record) => record.id));
    await sink.close();
  });

  it('rotates to a new file past maxAgeMs', async () => {
    const clock = createFakeClock();
    const sink = createJsonlSink({ directory: temp(), maxAgeMs: 60_000, clock });
    await sink.init();
    const records = sampleUsageRecords(4);
    await sink.write(records.slice(0, 2));
    await clock.advance(59_999);
    await sink.write(records.slice(2, 3));
    expect(await sink.files()).toHaveLength(1);
    await clock.advance(1);
    await sink.write(records.slice(3));
    expect(await sink.files()).toHaveLength(2);
    await sink.close();
  });

  it('remembers ids written by an earlier instance in the same directory', async () => {
    const directory = temp();
    const records = sampleUsageRecords(10);
    const first = createJsonlSink({ directory });
    await first.init();
    await first.write(records);
    await first.close();
    const second = createJsonlSink({ directory });
    await second.init();
    await second.write(records);
    expect(readAll(await second.files())).toHaveLength(10);
    await second.close();
  });

  it('rejects bad options with a ValidationError', () => {
    expect(() => createJsonlSink({ directory: temp(), prefix: '../x' })).toThrow(/prefix/);
  });
});
