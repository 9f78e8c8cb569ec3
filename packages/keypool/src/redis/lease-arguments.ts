import type { KeyCandidate, TakeRequest } from '../store/state-store.js';

// How the Redis store passes candidates and leases to its scripts.

/** What settle needs of a lease this process took: it is passed back to the script. */
export interface RemoteLease {
  readonly keyId: string;
  readonly at: number;
  readonly expiresAt: number;
  readonly priorityClass: number;
  readonly tokens: number;
  readonly specs: string;
  /** The in-flight member on a key with a concurrency limit, else ''. */
  readonly member: string;
}

const specsJson = new WeakMap<KeyCandidate, string>();
/** A candidate's buckets as the scripts read them: [[id, tokens?1:0, limit, windowMs], …] (cached). */
export const encodeSpecs = (candidate: KeyCandidate): string => {
  let json = specsJson.get(candidate);
  if (json === undefined) {
    json = JSON.stringify(
      candidate.buckets.map((bucket) => [
        bucket.id,
        bucket.unit === 'tokens' ? 1 : 0,
        bucket.limit,
        bucket.windowMs,
      ]),
    );
    specsJson.set(candidate, json);
  }
  return json;
};
/** Candidates as the take script reads them: [[keyId, maxConcurrent, rank, shared, weight, specs], …]. */
export const encodeCandidates = (candidates: readonly KeyCandidate[]): string =>
  `[${candidates
    .map(
      (candidate) =>
        `[${JSON.stringify(candidate.keyId)},${candidate.maxConcurrent},${candidate.rank},${candidate.shared ? 1 : 0},${candidate.weight},${encodeSpecs(candidate)}]`,
    )
    .join(',')}]`;

/** The request's priority class clamped to 0..7. */
export const classOf = (request: TakeRequest) =>
  Math.min(7, Math.max(0, Math.trunc(request.priorityClass) || 0));
/** A number argument, or '' for none. */
export const optional = (value: number | undefined): string | number => (value === undefined ? '' : value);
