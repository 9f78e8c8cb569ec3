// The middleware example of docs/architecture.md: masks phone numbers before routing and puts
// them back into the answer, in chat results and in stream chunks (even when a placeholder is
// split across chunks), counting what it masked on the usage records.
import { contentText, type EventBus, type GatewayMiddleware } from '@forge1/core';

// A package adds its own events to the typed registry by augmenting `Forge1Events`.
declare module '@forge1/core' {
  interface Forge1Events {
    'example.masked': { requestId: string; count: number };
  }
}

interface MaskState {
  numbers: string[];
  /** Text held back while a placeholder may still be incomplete. */
  held: string;
}

const PHONE = /\+?\d[\d -]{7,}\d/g;
const PLACEHOLDER = /\[PHONE (\d+)\]/g;

/** Options of {@link createPhoneMasking}. */
export interface PhoneMaskingOptions {
  /** Where `example.masked` goes. */
  events?: EventBus;
}

/** A middleware that sends `[PHONE 1]` … to the provider instead of phone numbers. */
export function createPhoneMasking(options: PhoneMaskingOptions = {}): GatewayMiddleware<MaskState> {
  const restore = (text: string, numbers: string[]) =>
    text.replace(PLACEHOLDER, (whole, n: string) => numbers[Number(n) - 1] ?? whole);
  return {
    name: 'phone-masking',
    createState: () => ({ numbers: [], held: '' }),
    transformRequest(request, context) {
      const { state } = context;
      const messages = request.messages.map((message) => {
        if (message.role !== 'user') return message;
        const content = contentText(message.content).replace(PHONE, (found) => {
          state.numbers.push(found);
          return `[PHONE ${state.numbers.length}]`;
        });
        return { ...message, content };
      });
      if (state.numbers.length === 0) return undefined;
      context.annotate('masked.phone', state.numbers.length);
      options.events?.emit('example.masked', { requestId: context.requestId, count: state.numbers.length });
      return { ...request, messages };
    },
    transformChunk(chunk, { state }) {
      if (chunk.type !== 'text-delta' || state.numbers.length === 0) return undefined;
      const text = state.held + chunk.text;
      const open = text.lastIndexOf('[');
      const cut = open >= 0 && !text.includes(']', open) ? open : text.length;
      state.held = text.slice(cut);
      const ready = text.slice(0, cut);
      return ready ? { type: 'text-delta', text: restore(ready, state.numbers) } : [];
    },
    flush: ({ state }) =>
      state.held ? [{ type: 'text-delta', text: restore(state.held, state.numbers) }] : [],
    onResult(outcome, { state }) {
      if (!outcome.ok || state.numbers.length === 0) return undefined;
      return { ...outcome.result, text: restore(outcome.result.text, state.numbers) };
    },
  };
}
