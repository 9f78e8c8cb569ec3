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

// A class rather than a closure per method: every provider call makes one, and its methods are
// shared on the prototype; only the timer's callback and the caller's abort listener are closures.
class AttemptControl implements CallControl {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #call: ProviderCall;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #clock: Clock;
  readonly #onCallerAbort: (() => void) | undefined;
  #timedOut = false;
  #timer: unknown;

  constructor(call: ProviderCall, clock: Clock) {
    this.#call = call;
    this.#clock = clock;
    const controller = this.#controller;
    this.signal = controller.signal;
    const callerSignal = call.signal;
    this.#callerSignal = callerSignal;
    if (callerSignal?.aborted) controller.abort(callerSignal.reason);
    else if (callerSignal) {
      this.#onCallerAbort = () => controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
    this.touch();
  }

  callerAborted(): boolean {
    return this.#callerSignal?.aborted === true;
  }

  timedOut(): boolean {
    return this.#timedOut;
  }

  touch(): void {
    this.#clear();
    const ms = this.#call.timeoutMs;
    const controller = this.#controller;
    if (ms === undefined || ms <= 0 || controller.signal.aborted) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timedOut = true;
      controller.abort(new Error(`Timed out after ${ms} ms`));
    }, ms);
  }

  abort(): void {
    this.#controller.abort();
  }

  dispose(): void {
    this.#clear();
    if (this.#onCallerAbort) this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Creates a {@link CallControl} for one attempt. */
export function createCallControl(call: ProviderCall, clock: Clock = systemClock): CallControl {
  return new AttemptControl(call, clock);
}
