import type { RequestContext } from '../context.js';
import { toForge1Error } from '../errors.js';
import type { EventBus, Forge1EventName, Forge1Events } from '../events.js';

/** Emits on the gateway's bus; never throws, even when a host's own bus does. */
export type Emit = (<E extends Forge1EventName>(event: E, payload: Forge1Events[E]) => void) & {
  /** Whether anyone listens, to skip building a payload nobody reads. */
  wants(event: Forge1EventName): boolean;
};

/** A never-throwing {@link Emit} over a bus. */
export function safeEmit(events: EventBus): Emit {
  const emit = <E extends Forge1EventName>(event: E, payload: Forge1Events[E]) => {
    try {
      events.emit(event, payload);
    } catch {
      // A bus that throws is the host's bug; a request must not fail for an observer.
    }
  };
  const wants = (event: Forge1EventName) => {
    try {
      return events.listenerCount(event) > 0;
    } catch {
      return true;
    }
  };
  return Object.assign(emit, { wants });
}

/** Reports a failure beside a request (a release, the meter, feedback, the judge) that does not fail it. */
export function emitSideError(
  emit: Emit,
  context: Pick<RequestContext, 'requestId' | 'tenantId'>,
  stage: Forge1Events['gateway.error']['stage'],
  thrown: unknown,
): void {
  const error = toForge1Error(thrown);
  emit('gateway.error', {
    requestId: context.requestId,
    tenantId: context.tenantId,
    stage,
    errorCode: error.code,
    message: error.message,
  });
}
