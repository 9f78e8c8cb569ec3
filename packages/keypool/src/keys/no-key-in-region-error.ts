import { type KeyDemand, NoCapacityError } from '@forge1/core';

/**
 * No key of the provider in the demand's regions can serve its model (none is configured there,
 * or every one is disabled or retired). Keys outside the regions are never lent instead, and a
 * key without a region counts as outside every region. Not retryable: waiting does not add keys.
 */
export class NoKeyInRegionError extends NoCapacityError {
  /** The regions the demand was restricted to. */
  readonly regions: readonly string[];

  constructor(demand: Pick<KeyDemand, 'provider' | 'model' | 'tenantId'>, regions: readonly string[]) {
    super(
      `No key of provider "${demand.provider}" in region ${regions.join(', ')} serves model "${demand.model}"; keys outside these regions are never used`,
      { provider: demand.provider, model: demand.model, tenantId: demand.tenantId, retryable: false },
    );
    this.name = 'NoKeyInRegionError';
    this.regions = [...regions];
  }
}
