import type { ChatChunk, ChatResult, ToolCall } from '../chat.js';
import type { Clock } from '../clock.js';
import { AbortedError } from '../errors.js';
import { ProviderUnavailableError } from '../provider-errors.js';
import type { Executor } from './engine.js';
import type { Run } from './run.js';
import type { ChunkChannel } from './stream-channel.js';

/** Answers whole. */
export const chatExecutor: Executor = (adapter, request, call) => adapter.chat(request, call);

type FinishChunk = Extract<ChatChunk, { type: 'finish' }>;

/**
 * Reads a provider stream into the caller's channel: usage chunks kept for metering, the rest
 * through the middleware's `transformChunk`; the result is what the caller received.
 */
export function streamExecutor(run: Run, channel: ChunkChannel, clock: Clock): Executor {
  return async (adapter, request, call, progress) => {
    const started = clock.now();
    let text = '';
    const toolCalls: ToolCall[] = [];
    let finish: FinishChunk | undefined;
    const outputs: ChatChunk[] = [];
    const collect = (chunk: ChatChunk) => {
      outputs.push(chunk);
    };
    for await (const chunk of adapter.stream(request, call)) {
      if (chunk.type === 'usage') {
        progress.reported = chunk.usage;
        continue;
      }
      progress.yielded = true;
      if (chunk.type === 'text-delta') progress.chars += chunk.text.length;
      else if (chunk.type === 'tool-call-delta') progress.chars += chunk.argumentsDelta.length;
      else if (chunk.type === 'finish') progress.reported = chunk.usage;
      if (run.middleware) run.middleware.pipe(chunk, collect);
      else outputs.push(chunk);
      for (const output of outputs) {
        if (output.type === 'text-delta') text += output.text;
        else if (output.type === 'tool-call') toolCalls.push(output.toolCall);
        else if (output.type === 'finish') finish = output;
        const more = await channel.push(output);
        // A reader that stops after the finish chunk has the whole answer.
        if (!more && output.type !== 'finish') throw new AbortedError('The stream reader stopped reading');
      }
      outputs.length = 0;
    }
    if (!finish) {
      throw new ProviderUnavailableError(`stream from ${adapter.provider} ended without a finish chunk`, {
        provider: adapter.provider,
        model: request.model,
      });
    }
    const result: ChatResult = {
      text,
      toolCalls,
      finishReason: finish.finishReason,
      usage: finish.usage,
      provider: finish.provider,
      model: finish.model,
      latencyMs: clock.now() - started,
      ...(finish.rateLimit ? { rateLimit: finish.rateLimit } : {}),
      ...(finish.providerRequestId ? { providerRequestId: finish.providerRequestId } : {}),
    };
    return result;
  };
}
