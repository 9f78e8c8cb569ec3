import type { EmulatorFault, EmulatorFaultEffect, EmulatorProvider } from './emulator-options.js';
import { hashApiKey, type Random } from './random.js';

/** The request a fault is matched against. */
export interface FaultSubject {
  provider: EmulatorProvider;
  model: string;
  keyHash: string;
  stream: boolean;
}

/** The fault that fired for a request. */
export type FiredFault = EmulatorFaultEffect & { name?: string };

/** Draws faults for requests, in order. */
export interface FaultInjector {
  /** The first fault that fires for this request, if any. */
  draw(subject: FaultSubject): FiredFault | undefined;
  /** Replaces the faults; schedules restart from request 1. */
  set(faults: readonly EmulatorFault[]): void;
}

interface ArmedFault {
  fault: EmulatorFault;
  providers?: ReadonlySet<string>;
  models?: ReadonlySet<string>;
  keyHashes?: ReadonlySet<string>;
  seen: number;
}

const asSet = (value: string | readonly string[] | undefined) =>
  value === undefined ? undefined : new Set(typeof value === 'string' ? [value] : value);

/**
 * Faults are tried in list order; the first whose `match` and trigger both hold fires.
 * Each fault counts the requests it matches (its schedule's request numbers) whether or not
 * it fires. `midStream` faults match streaming requests only.
 */
export function createFaultInjector(
  faults: readonly EmulatorFault[],
  random: Random,
  now: () => number,
): FaultInjector {
  let armed: ArmedFault[] = [];
  const set = (list: readonly EmulatorFault[]) => {
    armed = list.map((fault) => {
      const entry: ArmedFault = { fault, seen: 0 };
      const providers = asSet(fault.match?.provider);
      const models = asSet(fault.match?.model);
      const keys = asSet(fault.match?.key);
      if (providers) entry.providers = providers;
      if (models) entry.models = models;
      if (keys) entry.keyHashes = new Set([...keys].map(hashApiKey));
      return entry;
    });
  };
  set(faults);

  const matches = (entry: ArmedFault, subject: FaultSubject) => {
    const { fault } = entry;
    if (entry.providers && !entry.providers.has(subject.provider)) return false;
    if (entry.models && !entry.models.has(subject.model)) return false;
    if (entry.keyHashes && !entry.keyHashes.has(subject.keyHash)) return false;
    if (fault.match?.stream !== undefined && fault.match.stream !== subject.stream) return false;
    if (fault.kind === 'midStream' && !subject.stream) return false;
    return true;
  };

  const triggered = (entry: ArmedFault) => {
    const { fault } = entry;
    const number = entry.seen;
    if (fault.requests) {
      if (fault.requests.from !== undefined && number < fault.requests.from) return false;
      if (fault.requests.to !== undefined && number > fault.requests.to) return false;
    }
    if (fault.time) {
      const at = now();
      if (fault.time.from !== undefined && at < fault.time.from) return false;
      if (fault.time.to !== undefined && at >= fault.time.to) return false;
    }
    return fault.rate === undefined || random() < fault.rate;
  };

  return {
    draw(subject) {
      let fired: FiredFault | undefined;
      for (const entry of armed) {
        if (!matches(entry, subject)) continue;
        entry.seen += 1;
        if (!fired && triggered(entry)) {
          const { match: _match, rate: _rate, requests: _requests, time: _time, ...effect } = entry.fault;
          fired = effect;
        }
      }
      return fired;
    },
    set,
  };
}
