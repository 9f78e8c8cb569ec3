import { describe, expect, it } from 'vitest';
import { asNumber, asRecord, asString, parseJsonObject } from './records.js';

describe('records', () => {
  it('asRecord sees plain objects only', () => {
    expect(asRecord({ a: 1 })).toEqual({ a: 1 });
    for (const value of [null, undefined, [], 'x', 3]) expect(asRecord(value)).toBeUndefined();
  });

  it('asString and asNumber keep only their own type', () => {
    expect(asString('x')).toBe('x');
    expect(asString(1)).toBeUndefined();
    expect(asNumber(2)).toBe(2);
    expect(asNumber(Number.NaN)).toBeUndefined();
    expect(asNumber('2')).toBeUndefined();
  });

  it('parseJsonObject reads objects and refuses everything else', () => {
    expect(parseJsonObject('{"city":"Paris"}')).toEqual({ city: 'Paris' });
    expect(parseJsonObject('[1]')).toBeUndefined();
    expect(parseJsonObject('{broken')).toBeUndefined();
  });
});
