import type { GuardGrant } from '@forge1/core';

/** What a grant holds, shared by the grant check returned and those reserve returned. */
export interface Reservation {
  /** What the grant holds against the budget: the minimum at check, the routed estimate after reserve. */
  heldMicros: number;
  tokens: number;
  budgetMicros: number | null;
  thresholds: number[];
  /** Set once settled; shared by the grant check returned and those reserve returned. */
  settled: boolean;
}

/**
 * The grants of one guard: each carries its reservation in a private field of a class of that
 * guard's own, so a grant another guard made, or a copy, has none (as with a WeakMap by grant,
 * without an entry in one per request for the garbage collector to trace). A grant's own fields
 * are the three of {@link GuardGrant}, in its order.
 */
export function createGrantKind() {
  class HeldGrant implements GuardGrant {
    tenantId: string;
    at: number;
    remainingBudgetMicros: number | null;
    readonly #reservation: Reservation;
    constructor(
      tenantId: string,
      at: number,
      remainingBudgetMicros: number | null,
      reservation: Reservation,
    ) {
      this.tenantId = tenantId;
      this.at = at;
      this.remainingBudgetMicros = remainingBudgetMicros;
      this.#reservation = reservation;
    }
    static reservationOf(grant: GuardGrant): Reservation | undefined {
      return typeof grant === 'object' && grant !== null && #reservation in grant
        ? (grant as HeldGrant).#reservation
        : undefined;
    }
  }
  return { HeldGrant, reservationOf: HeldGrant.reservationOf };
}
