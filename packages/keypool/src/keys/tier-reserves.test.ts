import { defaultTierSettings } from '@forge1/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTiers } from './key-options.js';
import { planReserves } from './tier-reserves.js';

describe('planReserves', () => {
  const reserves = planReserves(planTiers(defaultTierSettings, {}));

  it('grants lower tiers first when the default shares overlap', () => {
    expect(reserves[0b111]).toEqual([0.5, 0.4, 0.1]);
    expect(reserves[0b101]).toEqual([0.8, 0, 0.1]);
    expect(reserves[0b011]).toEqual([0.6, 0.4, 0]);
    expect(reserves[0b110]).toEqual([0, 0.4, 0.1]);
  });

  it('holds nothing back for a lone tier', () => {
    expect(reserves[0b001]).toEqual([]);
    expect(reserves[0b100]).toEqual([]);
    expect(reserves[0]).toEqual([]);
  });

  it('never reserves more than the whole key, nor more than a tier asked for', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (shares) => {
          const plan = planReserves(shares.map((reservedShare) => ({ reservedShare })));
          for (const entry of plan) {
            expect(entry.reduce((sum, share) => sum + share, 0)).toBeLessThanOrEqual(1 + 1e-9);
            for (const [index, share] of entry.entries()) expect(share).toBeLessThanOrEqual(shares[index]!);
          }
        },
      ),
    );
  });
});
