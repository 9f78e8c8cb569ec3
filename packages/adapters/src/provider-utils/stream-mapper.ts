import { type ChatChunk, emptyUsage, type FinishReason, type Usage } from '@forge1/core';
import { ToolCallTracker } from './tool-call-tracker.js';

/** How a provider stream ended, as its mapper read it. */
export interface StreamEnd {
  finishReason: FinishReason;
  usage: Usage;
  /** The model the provider reported. */
  model?: string;
  /** The provider's id of the response, when the SDK gave no request id. */
  id?: string;
}

/**
 * Turns one provider's stream events into core chunks. The SDK adapter skeleton feeds it every
 * event, then asks how the stream ended.
 */
export interface StreamMapper<Event> {
  /** Core chunks for one provider event (often none). */
  map(event: Event): ChatChunk[];
  /** How the stream ended, or undefined when it stopped before the provider's last event. */
  end(): StreamEnd | undefined;
  /** What a stream without an end lacked, for the error message (`message_stop`, `a finish reason`). */
  readonly missing: string;
}

/** What a mapper knows when its stream stops. */
export interface StreamState {
  finishReason?: FinishReason | undefined;
  usage?: Usage | undefined;
  model?: string | undefined;
  id?: string | undefined;
}

/** The end of a stream that got its finish reason (usage 0 when the provider sent none), else undefined. */
export function streamEnd(state: StreamState): StreamEnd | undefined {
  if (state.finishReason === undefined) return undefined;
  return {
    finishReason: state.finishReason,
    usage: state.usage ?? emptyUsage(),
    ...(state.model ? { model: state.model } : {}),
    ...(state.id ? { id: state.id } : {}),
  };
}

/**
 * The usual shape of a mapper: what it learnt so far in `state`, the tool calls in `calls`,
 * and an end once a finish reason arrived. A provider's mapper only writes `map`.
 */
export abstract class BaseStreamMapper<Event, Key = number> implements StreamMapper<Event> {
  abstract readonly missing: string;
  protected readonly state: StreamState = {};
  protected readonly calls: ToolCallTracker<Key>;

  /** @param emptyArguments the arguments of a tool call that streamed none. @default '' */
  constructor(emptyArguments = '') {
    this.calls = new ToolCallTracker<Key>(emptyArguments);
  }

  abstract map(event: Event): ChatChunk[];

  end(): StreamEnd | undefined {
    return streamEnd(this.state);
  }
}
