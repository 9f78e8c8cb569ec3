import { z } from 'zod';
import type { Clock } from '../clock.js';
import { deriveContext, type RequestContext } from '../context.js';
import { ValidationError } from '../errors.js';

const id = z.string().min(1).max(200);

/** The schema fields that say who a gateway request is for, shared by chat and embed inputs. */
export const whoShape = {
  tenant: id.optional(),
  client: id.optional(),
  employee: id.optional(),
  user: id.optional(),
  session: id.optional(),
  requestId: id.optional(),
};

/** Who a request is for, as a gateway input names it. */
export interface Who {
  /** Tenant id; required unless a request context supplies it. */
  tenant?: string;
  client?: string;
  employee?: string;
  user?: string;
  session?: string;
  /** Idempotency / correlation id; generated (ULID) when absent. */
  requestId?: string;
}

/**
 * The request context of an input: its fields over the current context.
 * @throws ValidationError when neither names a tenant.
 */
export function contextOf(input: Who, clock: Clock, what: string): RequestContext {
  // deriveContext takes an undefined field as absent.
  const context = deriveContext(
    {
      tenantId: input.tenant,
      clientId: input.client,
      employeeId: input.employee,
      userId: input.user,
      sessionId: input.session,
      requestId: input.requestId,
    },
    () => clock.now(),
  );
  if (!context.tenantId) {
    throw new ValidationError(what, [{ path: 'tenant', message: 'required (or set by runWithContext)' }]);
  }
  return context;
}
