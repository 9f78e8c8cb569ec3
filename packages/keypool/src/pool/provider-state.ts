import type { KeyDemand, Lease, TimerHandle } from '@forge1/core';
import type { PoolKey } from '../keys/pool-key.js';
import { WaitLog } from '../keys/usage-meter.js';
import type { KeyCandidate } from '../store/state-store.js';
import { type QueueEntry, WaiterQueue } from './waiter-queue.js';

/** The keys a demand may use, cached per model (and region list) until a key changes. */
export interface Plan {
  readonly shared: KeyCandidate[];
  readonly byTenant: Map<string, KeyCandidate[]>;
  /** Some key for the model still waits for its secret resolver. */
  readonly pending: boolean;
}

/** Everything the pool holds about one provider: its keys, queue, plans and timers. */
export interface ProviderState {
  readonly name: string;
  readonly keys: PoolKey[];
  readonly queue: WaiterQueue<Waiter>;
  readonly plans: Map<string, Plan>;
  /** Last acquire time per tier (index in the tier plan), for reserves. */
  readonly lastSeen: Float64Array;
  readonly waits: WaitLog;
  inFlight: number;
  wakeTimer: TimerHandle | undefined;
  wakeAt: number;
  pumping: boolean;
  pumpAgain: boolean;
  cooldowns: number;
  signal: 'normal' | 'saturated' | 'underused';
}

/** One queued acquire. */
export interface Waiter extends QueueEntry {
  readonly demand: KeyDemand;
  readonly provider: ProviderState;
  readonly tierIndex: number;
  readonly priority: number;
  readonly enqueuedAt: number;
  readonly leaseId: string;
  timer: TimerHandle | undefined;
  onAbort: (() => void) | undefined;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
  done: boolean;
  lastAt: number;
  lastRetryAfterMs: number;
}

/** The state of a provider the pool has not seen yet. */
export function createProviderState(name: string, tierCount: number): ProviderState {
  return {
    name,
    keys: [],
    queue: new WaiterQueue<Waiter>(),
    plans: new Map(),
    lastSeen: new Float64Array(tierCount).fill(Number.NEGATIVE_INFINITY),
    waits: new WaitLog(),
    inFlight: 0,
    wakeTimer: undefined,
    wakeAt: Number.POSITIVE_INFINITY,
    pumping: false,
    pumpAgain: false,
    cooldowns: 0,
    signal: 'normal',
  };
}
