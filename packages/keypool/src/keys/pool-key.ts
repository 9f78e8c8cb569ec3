import type { Secret } from '@forge1/core';
import type { BucketSpec, KeyCandidate } from '../store/state-store.js';
import type { GroupLimits, KeyConfig } from './key-options.js';
import { UsageMeter } from './usage-meter.js';

const DAY_MS = 86_400_000;

/** The pool's own record of one key. */
export interface PoolKey {
  readonly config: KeyConfig;
  readonly models: ReadonlySet<string> | null;
  readonly dedicatedTo: ReadonlySet<string> | null;
  /** Limits in force: configured, tightened by learned ones. */
  rpm: number;
  tpm: number;
  secret: Secret | undefined;
  /** Bumped on every rotation; leases remember the generation they were lent under. */
  generation: number;
  state: 'pending' | 'active' | 'draining' | 'retired';
  disabled: boolean;
  cooldownUntil: number;
  inFlight: number;
  requests: number;
  rateLimited: number;
  errors: number;
  consecutiveRateLimits: number;
  readonly usage: UsageMeter;
  candidate: KeyCandidate;
  drained: Array<() => void>;
}

/** Creates the pool's record of a validated key; `classes` is the number of tiers its usage is split by. */
export function createPoolKey(
  config: KeyConfig,
  groups: Readonly<Record<string, GroupLimits>>,
  classes = 1,
): PoolKey {
  const partial: Omit<PoolKey, 'candidate'> = {
    config,
    models: config.models ? new Set(config.models) : null,
    dedicatedTo: config.dedicatedTo ? new Set(config.dedicatedTo) : null,
    rpm: config.rpm,
    tpm: config.tpm,
    secret: undefined,
    generation: 0,
    state: 'pending',
    disabled: false,
    cooldownUntil: 0,
    inFlight: 0,
    requests: 0,
    rateLimited: 0,
    errors: 0,
    consecutiveRateLimits: 0,
    usage: new UsageMeter(config.windowMs, classes),
    drained: [],
  };
  return { ...partial, candidate: buildCandidate(partial, groups) };
}

/** The store-facing description of a key: its buckets (own and group's) and preferences. */
export function buildCandidate(
  key: Pick<PoolKey, 'config' | 'rpm' | 'tpm'>,
  groups: Readonly<Record<string, GroupLimits>>,
): KeyCandidate {
  const { config } = key;
  const buckets: BucketSpec[] = [
    { id: `key:${config.id}:rpm`, unit: 'requests', limit: key.rpm, windowMs: config.windowMs },
    { id: `key:${config.id}:tpm`, unit: 'tokens', limit: key.tpm, windowMs: config.windowMs },
  ];
  if (config.rpd !== undefined) {
    buckets.push({ id: `key:${config.id}:rpd`, unit: 'requests', limit: config.rpd, windowMs: DAY_MS });
  }
  const group = config.group === undefined ? undefined : groups[config.group];
  if (group) {
    const windowMs = group.windowMs ?? 60_000;
    const name = config.group;
    if (group.rpm !== undefined)
      buckets.push({ id: `group:${name}:rpm`, unit: 'requests', limit: group.rpm, windowMs });
    if (group.tpm !== undefined)
      buckets.push({ id: `group:${name}:tpm`, unit: 'tokens', limit: group.tpm, windowMs });
    if (group.rpd !== undefined) {
      buckets.push({ id: `group:${name}:rpd`, unit: 'requests', limit: group.rpd, windowMs: DAY_MS });
    }
  }
  const dedicated = config.dedicatedTo !== undefined;
  return {
    keyId: config.id,
    buckets,
    maxConcurrent: config.maxConcurrent ?? 0,
    rank: (dedicated ? 0 : 1) + (config.role === 'backup' ? 1 : 0),
    shared: !dedicated,
    weight: config.weight,
  };
}

/** Whether the key may be lent now (not counting budgets and cooldowns, which the store checks). */
export const isLendable = (key: PoolKey): boolean => key.state === 'active' && !key.disabled;

/** Whether the key serves a model. */
export const servesModel = (key: PoolKey, model: string): boolean =>
  key.models === null || key.models.has(model);
