import type { TierPlan } from './key-options.js';

const none: readonly number[] = [];

/**
 * The share of shared keys guaranteed to each tier (by index in `tiers`, highest priority first),
 * for every set of active tiers: entry `mask` is for the tiers whose bit is set in `mask`. Lower
 * tiers' guarantees are granted first, so a higher tier's shrinks to what is left when the shares
 * add up to more than 1 (defaults with all three active: 10 % standard, 40 % professional, 50 %
 * enterprise). A lone active tier holds nothing back: its entry is empty.
 */
export function planReserves(
  tiers: readonly Pick<TierPlan, 'reservedShare'>[],
): ReadonlyArray<readonly number[]> {
  return Array.from({ length: 1 << tiers.length }, (_, mask) => {
    let active = 0;
    for (let index = 0; index < tiers.length; index++) if (mask & (1 << index)) active++;
    if (active < 2) return none;
    const reserves = new Array<number>(tiers.length).fill(0);
    let left = 1;
    for (let index = tiers.length - 1; index >= 0; index--) {
      if (!(mask & (1 << index))) continue;
      reserves[index] = Math.min(tiers[index]!.reservedShare, left);
      left -= reserves[index]!;
    }
    return reserves;
  });
}
