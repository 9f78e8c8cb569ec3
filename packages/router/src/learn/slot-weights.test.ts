import { describe, expect, it } from 'vitest';
import { SlotWeights } from './slot-weights.js';

describe('slot weights', () => {
  it('read 0 for absent slots and keep what each entry was given, as it grows', () => {
    const table = new SlotWeights();
    const reference = new Map<number, number>();
    for (let index = 0; index < 3000; index++) {
      const slot = (index * 7919) % 32768;
      const at = table.entry(slot);
      table.setWeightAt(at, table.weightAt(at) + index);
      table.setSquareAt(at, table.squareAt(at) + 1);
      reference.set(slot, (reference.get(slot) ?? 0) + index);
    }
    expect(table.weight(32767)).toBe(reference.get(32767) ?? 0);
    for (const [slot, value] of reference) expect(table.weight(slot)).toBe(value);
    expect(table.weight(40_000)).toBe(0);
    expect(Object.keys(table.record(false))).toHaveLength(reference.size);
  });

  it('export only the values held, weights and sums apart, in the order of their slots', () => {
    const table = SlotWeights.from({ '9': 0.5, '3': -1 }, { '3': 2, '70000': 4 });
    expect(table.record(false)).toEqual({ '3': -1, '9': 0.5 });
    expect(table.record(true)).toEqual({ '3': 2, '70000': 4 });
    table.setWeightAt(table.entry(70_000), 1);
    expect(JSON.stringify(table.record(false))).toBe('{"3":-1,"9":0.5,"70000":1}');
    expect(table.record(true)).toEqual({ '3': 2, '70000': 4 });
    table.entry(9);
    expect(table.record(true)).toEqual({ '3': 2, '9': 0, '70000': 4 });
  });

  it('skip what is no slot', () => {
    const table = new SlotWeights();
    table.set(Number.NaN, 1, false);
    table.set(-1, 1, true);
    expect(table.record(false)).toEqual({});
    expect(table.record(true)).toEqual({});
  });
});
