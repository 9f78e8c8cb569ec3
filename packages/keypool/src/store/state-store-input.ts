import { asInputError, expectNumber, expectObject, expectString, refuseArgument } from '@forge1/core';
import type { BucketSpec, KeyCandidate, SettleRequest, TakeRequest } from './state-store.js';

// Checks at the entry of the state stores' methods. The key pool calls them with values it built,
// so the checks are cheap (typeof and Array.isArray, no copies); a host calling a store directly
// gets a validation_error naming the method and the field instead of a TypeError, its own
// getter's error or a NaN in a budget. Candidates are checked once per list, where a store
// resolves or encodes them (it caches by list).

const optionalNumber = (value: unknown, fn: string, path: string) => {
  if (value !== undefined) expectNumber(value, fn, path);
};

/** Throws a `validation_error` unless `request` is a well-formed {@link TakeRequest}. */
export function checkTake(request: TakeRequest, fn: string): void {
  expectObject(request, fn, 'request');
  try {
    const candidates = request.candidates;
    if (!Array.isArray(candidates)) throw refuseArgument(fn, 'candidates', 'expected an array');
    if (!checked.has(candidates)) checkCandidates(candidates, fn);
    if (!Array.isArray(request.reserves)) throw refuseArgument(fn, 'reserves', 'expected an array');
    expectNumber(request.tokens, fn, 'tokens');
    expectNumber(request.priorityClass, fn, 'priorityClass');
    expectString(request.leaseId, fn, 'leaseId');
    expectNumber(request.leaseTtlMs, fn, 'leaseTtlMs');
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

// The pool passes the same candidate list for every take of one demand: each list is checked once.
const checked = new WeakSet<readonly KeyCandidate[]>();

function checkCandidates(candidates: readonly KeyCandidate[], fn: string): void {
  try {
    for (const candidate of candidates) {
      expectObject(candidate, fn, 'candidates[]');
      expectString(candidate.keyId, fn, 'candidates[].keyId');
      expectNumber(candidate.maxConcurrent, fn, 'candidates[].maxConcurrent');
      expectNumber(candidate.rank, fn, 'candidates[].rank');
      expectNumber(candidate.weight, fn, 'candidates[].weight');
      if (typeof candidate.shared !== 'boolean')
        throw refuseArgument(fn, 'candidates[].shared', 'expected a boolean');
      if (!Array.isArray(candidate.buckets))
        throw refuseArgument(fn, 'candidates[].buckets', 'expected an array');
      for (const bucket of candidate.buckets) {
        checkBucket(bucket, fn);
        expectNumber(bucket.limit, fn, 'candidates[].buckets[].limit');
      }
    }
    checked.add(candidates);
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/** Throws a `validation_error` unless `request` is a well-formed {@link SettleRequest}. */
export function checkSettle(request: SettleRequest, fn: string): void {
  expectObject(request, fn, 'request');
  try {
    expectString(request.leaseId, fn, 'leaseId');
    optionalNumber(request.tokens, fn, 'tokens');
    const remaining = request.remaining;
    if (remaining === undefined) return;
    expectObject(remaining, fn, 'remaining');
    optionalNumber(remaining.requests, fn, 'remaining.requests');
    optionalNumber(remaining.tokens, fn, 'remaining.tokens');
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/** Throws a `validation_error` unless `bucket` has a string id and a finite window. */
export function checkBucket(bucket: BucketSpec, fn: string): void {
  expectObject(bucket, fn, 'bucket');
  try {
    expectString(bucket.id, fn, 'bucket.id');
    expectNumber(bucket.windowMs, fn, 'bucket.windowMs');
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/** Throws a `validation_error` unless `disabled` is a boolean. */
export function checkFlag(disabled: unknown, fn: string): void {
  if (typeof disabled !== 'boolean') throw refuseArgument(fn, 'disabled', 'expected a boolean');
}
