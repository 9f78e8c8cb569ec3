import { type Gateway, type GatewayEmbedInput, ValidationError } from '@forge1/core';
import type { Context } from 'hono';
import { type CallerResolver, isHttpError } from './caller.ts';
import type { CallerLimits } from './caller-limits.ts';
import { sendError } from './http-error.ts';
import { type BodyLimits, bodyRefusal, clientGone, readJsonBody } from './request-body.ts';

/** What the embeddings handler needs from the app. */
export interface EmbedRouteOptions {
  gateway: Gateway;
  resolveCaller: CallerResolver;
  fail: (error: unknown, requestId?: string) => Response;
  body: BodyLimits;
  limits: CallerLimits;
}

/**
 * POST /v1/embeddings: `{ input: string[], model?, dimensions? }` for the caller's tenant, through the
 * gateway's embeddings path (guard, key pool, metering). Answers `{ embeddings, model, provider, usage,
 * costMicros, requestId }`.
 */
export function embedHandler(options: EmbedRouteOptions) {
  const { gateway, resolveCaller, fail, body, limits } = options;
  return async (c: Context): Promise<Response> => {
    const caller = resolveCaller((name) => c.req.header(name));
    if (isHttpError(caller)) return sendError(caller);
    const limited = limits.admit(caller);
    if (limited) return sendError(limited);
    try {
      const parsed = await readJsonBody(c, body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ValidationError('embed request', [{ path: '', message: 'expected a JSON object' }]);
      }
      const { input, model, dimensions } = parsed as Record<string, unknown>;
      const result = await gateway.embed({
        input,
        ...(model === undefined ? {} : { model }),
        ...(dimensions === undefined ? {} : { dimensions }),
        tenant: caller.tenantId,
        ...(caller.employee === undefined ? {} : { employee: caller.employee }),
        ...(caller.user === undefined ? {} : { user: caller.user }),
        ...(caller.client === undefined ? {} : { client: caller.client }),
        ...(caller.requestId === undefined ? {} : { requestId: caller.requestId }),
        signal: clientGone(c),
      } as GatewayEmbedInput);
      return c.json({
        embeddings: result.embeddings,
        provider: result.provider,
        model: result.model,
        usage: result.usage,
        costMicros: result.costMicros,
        requestId: result.requestId,
      });
    } catch (error) {
      const refused = bodyRefusal(error);
      return refused ? sendError(refused) : fail(error, caller.requestId);
    }
  };
}
