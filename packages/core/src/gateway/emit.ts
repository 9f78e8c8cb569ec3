import type { EventBus, Forge1EventName, Forge1Events } from '../events.js';

/** Emits on the gateway's bus; never throws, even when a host's own bus does. */
export type Emit = <E extends Forge1EventName>(event: E, payload: Forge1Events[E]) => void;

/** A never-throwing {@link Emit} over a bus. */
export function safeEmit(events: EventBus): Emit {
  return (event, payload) => {
    try {
      events.emit(event, payload);
    } catch {
      // A bus that throws is the host's bug; a request must not fail for an observer.
    }
  };
}
