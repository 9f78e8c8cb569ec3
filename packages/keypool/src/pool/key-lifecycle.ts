import { ClosedError, Secret, ValidationError } from '@forge1/core';
import { type KeyConfig, type KeyInput, type KeySecretSource, parseKeys } from '../keys/key-options.js';
import { createPoolKey, type PoolKey } from '../keys/pool-key.js';
import type { KeyHealth } from './key-health.js';
import type { LeaseBook } from './lease-book.js';
import { type PoolContext, providerState } from './pool-context.js';
import { invalidate } from './provider-plan.js';
import type { ProviderState } from './provider-state.js';

/** Keys coming and going at runtime: add, secret resolution and rotation, retire, enable. */
export class KeyLifecycle {
  private readonly resolving = new Set<Promise<void>>();

  private readonly context: PoolContext;
  private readonly health: KeyHealth;
  private readonly leases: LeaseBook;
  private readonly knownProviders: ReadonlySet<string>;
  private readonly wake: (provider: ProviderState) => void;

  constructor(
    context: PoolContext,
    health: KeyHealth,
    leases: LeaseBook,
    knownProviders: ReadonlySet<string>,
    wake: (provider: ProviderState) => void,
  ) {
    this.context = context;
    this.health = health;
    this.leases = leases;
    this.knownProviders = knownProviders;
    this.wake = wake;
  }

  /** Adds a validated key; resolves once its secret is installed (a failing resolver disables it). */
  addConfig(config: KeyConfig): Promise<void> {
    const key = createPoolKey(config, this.context.options.groups, this.context.tierPlan.length);
    this.context.keysById.set(config.id, key);
    providerState(this.context, config.provider).keys.push(key);
    return this.installSecret(key, config.secret, false);
  }

  /** Validates and adds a key at runtime. @throws ValidationError, ClosedError */
  async add(input: KeyInput): Promise<void> {
    if (this.context.closed) throw new ClosedError('key pool');
    const [config] = parseKeys([input], {
      providers: this.knownProviders,
      groups: this.context.options.groups,
      existing: new Set(this.context.keysById.keys()),
      path: 'key',
    });
    await this.addConfig(config!);
  }

  /** Resolves once every secret resolver has answered. */
  async ready(): Promise<void> {
    while (this.resolving.size > 0) await Promise.allSettled([...this.resolving]);
  }

  async retire(keyId: string): Promise<void> {
    const key = this.require(keyId);
    if (key.state === 'retired') return;
    key.state = 'draining';
    invalidate(providerState(this.context, key.config.provider));
    const drained = new Promise<void>((resolve) => key.drained.push(resolve));
    this.leases.finishRetire(key);
    if (key.state === 'draining') {
      const { clock } = this.context;
      clock.setTimeout(() => this.leases.sweep(clock.now()), this.context.options.leaseTtlMs + 1);
    }
    return drained;
  }

  async rotate(keyId: string, secret: KeySecretSource): Promise<void> {
    await this.installSecret(this.require(keyId), secret, true);
  }

  async enable(keyId: string): Promise<void> {
    const key = this.require(keyId);
    if (!key.disabled) return;
    key.disabled = false;
    await this.context.store.setDisabled(keyId, false);
    const provider = providerState(this.context, key.config.provider);
    invalidate(provider);
    this.context.events.emit('key.enabled', { keyId, provider: provider.name });
    if (provider.queue.size > 0) this.wake(provider);
  }

  private require(keyId: string): PoolKey {
    const key = this.context.keysById.get(keyId);
    if (!key) {
      const shown = typeof keyId === 'string' ? `"${keyId.slice(0, 100)}"` : `of type ${typeof keyId}`;
      throw new ValidationError('key id', [{ path: 'keyId', message: `unknown key ${shown}` }]);
    }
    return key;
  }

  private installSecret(key: PoolKey, source: KeySecretSource, rotating: boolean): Promise<void> {
    const { context } = this;
    const apply = (value: unknown) => {
      if (!((typeof value === 'string' && value.length > 0) || value instanceof Secret)) {
        throw new ValidationError('key secret', [
          { path: key.config.id, message: 'the resolver returned no secret' },
        ]);
      }
      const provider = providerState(context, key.config.provider);
      key.secret = value instanceof Secret ? value : new Secret(value);
      key.generation++;
      if (key.state === 'pending') key.state = 'active';
      if (rotating && key.disabled) {
        key.disabled = false;
        const id = key.config.id;
        context.storeCalls.run('setDisabled', id, () => context.store.setDisabled(id, false));
        context.events.emit('key.enabled', { keyId: id, provider: provider.name });
      }
      invalidate(provider);
      if (provider.queue.size > 0) this.wake(provider);
    };
    if (typeof source !== 'function') {
      apply(source);
      return Promise.resolve();
    }
    const resolution = Promise.resolve()
      .then(() => source())
      .then(apply)
      .catch((error: unknown) => {
        if (rotating)
          throw new ValidationError(
            'key secret',
            [{ path: key.config.id, message: 'the secret resolver failed' }],
            { cause: error },
          );
        this.health.disable(key, providerState(context, key.config.provider), 'secret-resolver-failed');
      });
    this.resolving.add(resolution);
    const forget = () => this.resolving.delete(resolution);
    resolution.then(forget, forget);
    return resolution;
  }
}
