import type { ChatChunk } from '../chat.js';

/**
 * A one-slot hand-over of chunks from the attempt engine to the stream's reader. `push`
 * resolves when the reader asks for the next chunk (true) or has stopped reading (false), so the
 * provider is read no faster than the caller reads.
 */
export interface ChunkChannel {
  push(chunk: ChatChunk): Promise<boolean>;
  /** The next chunk, or undefined once the producer has ended. */
  pull(): Promise<ChatChunk | undefined>;
  /** The producer is done (answer, error or stop). */
  end(): void;
  /** The reader stopped: pending and later pushes resolve false. */
  stop(): void;
  readonly stopped: boolean;
}

/** Creates a {@link ChunkChannel}. */
export function createChunkChannel(): ChunkChannel {
  let slot: ChatChunk | undefined;
  let ended = false;
  let stopped = false;
  let producer: ((more: boolean) => void) | undefined;
  let reader: ((chunk: ChatChunk | undefined) => void) | undefined;

  return {
    get stopped() {
      return stopped;
    },
    push(chunk) {
      if (stopped) return Promise.resolve(false);
      if (reader) {
        const wake = reader;
        reader = undefined;
        wake(chunk);
      } else slot = chunk;
      return new Promise<boolean>((resolve) => {
        producer = resolve;
      });
    },
    pull() {
      if (producer) {
        const wake = producer;
        producer = undefined;
        wake(true);
      }
      if (slot !== undefined) {
        const chunk = slot;
        slot = undefined;
        return Promise.resolve(chunk);
      }
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        reader = resolve;
      });
    },
    end() {
      ended = true;
      if (reader) {
        const wake = reader;
        reader = undefined;
        wake(undefined);
      }
    },
    stop() {
      stopped = true;
      if (producer) {
        const wake = producer;
        producer = undefined;
        wake(false);
      }
    },
  };
}
