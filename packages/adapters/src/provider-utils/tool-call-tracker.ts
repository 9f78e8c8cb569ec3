import type { ChatChunk, ToolCall } from '@forge1/core';

interface OpenCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/** A piece of a streamed tool call. */
export interface ToolCallPiece {
  id?: string;
  /** A piece of the name (OpenAI may split it). */
  name?: string;
  argumentsDelta?: string;
}

/**
 * Follows the tool calls of one stream, keyed by the provider's own handle (OpenAI's call
 * index, Anthropic's content block index). Each call gets the next index in order of first
 * sight; deltas carry it, and a completed call comes out whole.
 */
export class ToolCallTracker<Key = number> {
  private readonly open = new Map<Key, OpenCall>();
  private seen = 0;
  private readonly emptyArguments: string;

  /** @param emptyArguments the arguments of a call that streamed none. @default '' */
  constructor(emptyArguments = '') {
    this.emptyArguments = emptyArguments;
  }

  /** Calls seen so far (the index the next one gets). */
  get count(): number {
    return this.seen;
  }

  /** The delta chunk of a piece of the call at `key`, opening that call on first sight. */
  delta(key: Key, piece: ToolCallPiece): ChatChunk {
    let call = this.open.get(key);
    if (!call) {
      call = { index: this.seen++, id: '', name: '', arguments: '' };
      this.open.set(key, call);
    }
    if (piece.id) call.id = piece.id;
    if (piece.name) call.name += piece.name;
    const argumentsDelta = piece.argumentsDelta ?? '';
    call.arguments += argumentsDelta;
    return {
      type: 'tool-call-delta',
      index: call.index,
      argumentsDelta,
      ...(piece.id ? { id: piece.id } : {}),
      ...(piece.name ? { name: piece.name } : {}),
    };
  }

  /** Closes the call at `key`: its whole `tool-call` chunk, or undefined when none is open. */
  complete(key: Key): ChatChunk | undefined {
    const call = this.open.get(key);
    if (!call) return undefined;
    this.open.delete(key);
    return this.chunkOf(call);
  }

  /** Closes every open call, in index order. */
  completeAll(): ChatChunk[] {
    const calls = [...this.open.values()].sort((a, b) => a.index - b.index);
    this.open.clear();
    return calls.map((call) => this.chunkOf(call));
  }

  /** A call that arrived whole (Gemini): one delta with all of it, then the call. */
  whole(toolCall: ToolCall): ChatChunk[] {
    const index = this.seen++;
    return [
      {
        type: 'tool-call-delta',
        index,
        id: toolCall.id,
        name: toolCall.name,
        argumentsDelta: toolCall.arguments,
      },
      { type: 'tool-call', toolCall },
    ];
  }

  private chunkOf(call: OpenCall): ChatChunk {
    const toolCall: ToolCall = {
      id: call.id,
      name: call.name,
      arguments: call.arguments || this.emptyArguments,
    };
    return { type: 'tool-call', toolCall };
  }
}
