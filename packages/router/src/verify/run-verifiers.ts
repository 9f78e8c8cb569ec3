import type { Verifier, VerifierFinding, VerifierInput } from './verifier.js';

/** A finding with the name of the verifier that made it. */
export interface NamedFinding extends VerifierFinding {
  verifier: string;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

function failed(verifier: Verifier, error: unknown): NamedFinding {
  const message = error instanceof Error ? error.name : typeof error;
  return { verifier: verifier.name, penalty: 0, reason: `failed (${message})` };
}

function named(verifier: Verifier, finding: VerifierFinding | undefined): NamedFinding | undefined {
  if (!finding) return undefined;
  const penalty = Number.isFinite(finding.penalty) ? Math.min(1, Math.max(0, finding.penalty)) : 0;
  return { verifier: verifier.name, penalty, reason: String(finding.reason) };
}

/**
 * Runs every verifier on an answer. Returns the findings synchronously when every verifier
 * answered synchronously, a promise otherwise. A verifier that throws or rejects yields a finding
 * without penalty that says so, so no verifier can fail the request.
 */
export function runVerifiers(
  verifiers: readonly Verifier[],
  input: VerifierInput,
): NamedFinding[] | Promise<NamedFinding[]> {
  const results: Array<NamedFinding | undefined | Promise<NamedFinding | undefined>> = [];
  let pending = false;
  for (const verifier of verifiers) {
    try {
      const outcome = verifier.verify(input);
      if (isThenable(outcome)) {
        pending = true;
        results.push(
          Promise.resolve(outcome).then(
            (finding) => named(verifier, finding),
            (error: unknown) => failed(verifier, error),
          ),
        );
      } else results.push(named(verifier, outcome));
    } catch (error) {
      results.push(failed(verifier, error));
    }
  }
  const present = (list: Array<NamedFinding | undefined>) =>
    list.filter((finding): finding is NamedFinding => finding !== undefined);
  if (!pending) return present(results as Array<NamedFinding | undefined>);
  return Promise.all(results).then(present);
}
