import { AsyncLocalStorage } from 'node:async_hooks';
import { ulid } from './ids.js';

/** Who a request is for and where it came from; carried through async calls. */
export interface RequestContext {
  tenantId: string;
  /** The tenant's customer (for resellers), if any. */
  clientId?: string;
  employeeId?: string;
  userId?: string;
  sessionId?: string;
  /** Generated when not given: a ULID. */
  requestId: string;
  /** Epoch milliseconds when the context was created. */
  startedAt: number;
}

/** Fields a caller may set; the rest are generated. */
export type RequestContextInput = Partial<RequestContext> & { tenantId?: string };

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the running request, or undefined outside one. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Merges explicit fields over the current context. An explicit field always wins; a
 * nested context inherits the outer one's tenant and people but gets a fresh request id
 * unless given one.
 */
export function deriveContext(explicit: RequestContextInput, now: () => number = Date.now): RequestContext {
  const outer = storage.getStore();
  const context: RequestContext = {
    tenantId: (explicit.tenantId ?? outer?.tenantId) as string,
    requestId: explicit.requestId ?? ulid(),
    startedAt: explicit.startedAt ?? now(),
  };
  // One by one rather than in a loop over the names: every request passes here.
  const clientId = explicit.clientId ?? outer?.clientId;
  if (clientId !== undefined) context.clientId = clientId;
  const employeeId = explicit.employeeId ?? outer?.employeeId;
  if (employeeId !== undefined) context.employeeId = employeeId;
  const userId = explicit.userId ?? outer?.userId;
  if (userId !== undefined) context.userId = userId;
  const sessionId = explicit.sessionId ?? outer?.sessionId;
  if (sessionId !== undefined) context.sessionId = sessionId;
  return context;
}

/**
 * Runs `fn` with a request context derived from `fields` and the current one.
 * @example
 * ```ts
 * await runWithContext({ tenantId: 'acme', userId: 'u1' }, () => gateway.chat({ messages }));
 * ```
 */
export function runWithContext<T>(fields: RequestContextInput, fn: () => T): T {
  return storage.run(deriveContext(fields), fn);
}

/** Runs `fn` inside exactly this context (no merging). */
export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
