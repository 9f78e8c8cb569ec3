import { type Clock, type ProviderCall, systemClock } from '@forge1/core';

/** One attempt's abort signal: the caller's signal joined with the per-attempt timeout. */
export interface CallControl {
  /** Pass to the SDK: aborting it cancels the HTTP request. */
  readonly signal: AbortSignal;
  /** True when the caller's own signal fired. */
  callerAborted(): boolean;
  /** True when the timeout fired. */
  timedOut(): boolean;
  /** Restarts the timeout (streams: the timeout bounds the wait for each next event). */
  touch(): void;
  /** Cancels the request (a consumer that stops reading a stream). */
  abort(): void;
  /** Clears the timer and listeners. */
  dispose(): void;
}

/** Creates a {@link CallControl} for one attempt. */
export function createCallControl(call: ProviderCall, clock: Clock = systemClock): CallControl {
  const controller = new AbortController();
  const callerSignal = call.signal;
  let timedOut = false;
  let timer: unknown;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  const clear = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    clear();
    const ms = call.timeoutMs;
    if (ms === undefined || ms <= 0 || controller.signal.aborted) return;
    timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`Timed out after ${ms} ms`));
    }, ms);
  };
  arm();

  return {
    signal: controller.signal,
    callerAborted: () => callerSignal?.aborted === true,
    timedOut: () => timedOut,
    touch: arm,
    abort: () => controller.abort(),
    dispose() {
      clear();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
