import type { ChatRequest } from '../chat.js';
import type { ContentPartCounts } from '../content.js';
import type { RequestContext } from '../context.js';
import type { RequestMode } from '../events.js';
import type { GuardGrant } from '../ports/guard.js';
import type { RouteDecision } from '../ports/router.js';
import type { TenantPolicy } from '../tenancy.js';
import type { TokenEstimate } from '../tokens.js';
import type { MiddlewareRun } from './middleware-run.js';
import type { AttemptInfo } from './types.js';

/** What `prepare` established: the request as the providers get it, the tenant and the route. */
export interface Prepared {
  request: ChatRequest;
  policy: TenantPolicy;
  estimate: TokenEstimate;
  decision: RouteDecision;
  /** Content parts of the request per kind, counted on the first usage record. */
  parts?: ContentPartCounts;
}

/** The state of one request, from validation to settlement. */
export interface Run {
  readonly mode: RequestMode;
  readonly context: RequestContext;
  readonly signal: AbortSignal | undefined;
  /** Set the moment the guard's check passes, so that every later exit settles it. */
  grant: GuardGrant | null;
  /** The routing decision, once routed (middleware reads it). */
  decision: RouteDecision | undefined;
  middleware: MiddlewareRun | undefined;
  attempts: AttemptInfo[];
}

/** A new run. */
export function createRun(mode: RequestMode, context: RequestContext, signal: AbortSignal | undefined): Run {
  return { mode, context, signal, grant: null, decision: undefined, middleware: undefined, attempts: [] };
}
