import { ErrorCode, Forge1Error, type RateLimitInfo } from '@forge1/core';
import { buildCandidate, type PoolKey } from '../keys/pool-key.js';
import type { PoolContext } from './pool-context.js';
import { invalidate } from './provider-plan.js';
import type { ProviderState } from './provider-state.js';

/**
 * What calls teach about keys: lower limits from response headers, cooldowns on 429, disabling
 * on auth errors.
 */
export class KeyHealth {
  private readonly context: PoolContext;
  /** Schedules a pump of the provider's queue after `afterMs` (when a cooldown ends). */
  private readonly wake: (provider: ProviderState, afterMs: number) => void;

  constructor(context: PoolContext, wake: (provider: ProviderState, afterMs: number) => void) {
    this.context = context;
    this.wake = wake;
  }

  /** Tightens a key's limits to what the provider reported; never loosens them. */
  learn(key: PoolKey, provider: ProviderState, rateLimit: RateLimitInfo): void {
    let changed = false;
    if (
      rateLimit.limitRequests !== undefined &&
      rateLimit.limitRequests > 0 &&
      rateLimit.limitRequests < key.rpm
    ) {
      key.rpm = rateLimit.limitRequests;
      changed = true;
    }
    if (rateLimit.limitTokens !== undefined && rateLimit.limitTokens > 0 && rateLimit.limitTokens < key.tpm) {
      key.tpm = rateLimit.limitTokens;
      changed = true;
    }
    if (!changed) return;
    key.candidate = buildCandidate(key, this.context.options.groups);
    invalidate(provider);
    this.context.events.emit('key.learned', {
      keyId: key.config.id,
      provider: provider.name,
      rateLimit: { ...rateLimit },
    });
  }

  /** Takes a key out of service until enabled or rotated. */
  disable(key: PoolKey, provider: ProviderState, reason: string): void {
    if (key.disabled) return;
    key.disabled = true;
    const id = key.config.id;
    this.context.storeCalls.run('setDisabled', id, () => this.context.store.setDisabled(id, true));
    invalidate(provider);
    this.context.events.emit('key.disabled', { keyId: id, provider: provider.name, reason });
  }

  /** Learns from how a leased call went: rate-limited cools the key down, auth disables it. */
  onOutcome(key: PoolKey, provider: ProviderState, generation: number, error: unknown): void {
    if (error === undefined || error === null) {
      key.consecutiveRateLimits = 0;
      return;
    }
    if (Forge1Error.is(error, ErrorCode.rateLimited)) {
      this.coolDown(key, provider, error);
      return;
    }
    if (Forge1Error.is(error, ErrorCode.aborted)) return;
    key.errors++;
    // An auth error from a secret rotated away since the lease says nothing about the new one.
    if (Forge1Error.is(error, ErrorCode.auth) && generation === key.generation)
      this.disable(key, provider, 'auth');
  }

  private coolDown(key: PoolKey, provider: ProviderState, error: Forge1Error): void {
    key.rateLimited++;
    key.consecutiveRateLimits++;
    const kind = (error as { kind?: string }).kind;
    const forMs = error.retryAfterMs ?? this.backoff(key, kind);
    const { clock, events, store, storeCalls } = this.context;
    const id = key.config.id;
    storeCalls.run(
      'coolDown',
      id,
      () => store.coolDown(id, forMs),
      (deadline) => {
        key.cooldownUntil = Math.max(key.cooldownUntil, deadline);
        provider.cooldowns++;
        events.emit('key.cooldown', {
          keyId: id,
          provider: provider.name,
          untilMs: key.cooldownUntil,
          reason: `rate-limited (${kind ?? 'unknown'})`,
        });
        this.wake(provider, key.cooldownUntil - clock.now());
      },
    );
  }

  private backoff(key: PoolKey, kind: string | undefined): number {
    const { baseMs, maxMs } = this.context.options.cooldown;
    if (kind === 'quota') return maxMs;
    const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(30, key.consecutiveRateLimits - 1));
    return Math.min(maxMs, Math.round(exponential * (0.75 + 0.5 * this.context.random())));
  }
}
