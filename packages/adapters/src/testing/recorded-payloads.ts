import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChatChunk } from '@forge1/core';
import type { StreamEnd, StreamMapper } from '../provider-utils/stream-mapper.js';

// Real provider payloads are kept beside the repository, never in it: `../shared/provider-fixtures`
// from the repository root, or the folder FORGE1_PROVIDER_FIXTURES names. Tests read them there
// and skip (saying so) when they are absent.
const fixturesRoot = process.env.FORGE1_PROVIDER_FIXTURES
  ? `${process.env.FORGE1_PROVIDER_FIXTURES.replace(/\/+$/, '')}/`
  : fileURLToPath(new URL('../../../../../shared/provider-fixtures/', import.meta.url));

/** True when the recorded provider payloads are present; prints a notice once when they are not. */
export function hasRecordedPayloads(): boolean {
  const present = existsSync(fixturesRoot);
  if (!present && !noticePrinted) {
    noticePrinted = true;
    console.log('recorded provider payloads not found at ../shared/provider-fixtures: mapping tests skipped');
  }
  return present;
}
let noticePrinted = false;

/** A recorded payload file as text (`openai/openai-text.json`). */
export const recordedText = (path: string): string => readFileSync(`${fixturesRoot}${path}`, 'utf8');

/** A recorded JSON payload. */
export const recordedJson = <T>(path: string): T => JSON.parse(recordedText(path)) as T;

/**
 * The events of a recorded stream: one JSON payload a line (`*.chunks.txt`), or raw SSE bytes
 * (`data: …` lines, `[DONE]` dropped).
 */
export function recordedEvents<T>(path: string): T[] {
  return recordedText(path)
    .split(/\r?\n/)
    .map((line) => line.replace(/^data: ?/, '').trim())
    .filter((line) => line !== '' && line !== '[DONE]' && !line.startsWith('event:'))
    .map((line) => JSON.parse(line) as T);
}

/** Feeds recorded events through a stream mapper: the core chunks and how the stream ended. */
export function mapRecorded<Event>(
  mapper: StreamMapper<Event>,
  events: readonly Event[],
): { chunks: ChatChunk[]; end: StreamEnd | undefined } {
  const chunks = events.flatMap((event) => mapper.map(event));
  return { chunks, end: mapper.end() };
}
