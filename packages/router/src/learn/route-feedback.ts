import { parseWith, type RouteFeedback } from '@forge1/core';
import { z } from 'zod';

/** The schema of {@link RouteFeedback}; it has the last word. */
export const feedbackSchema = z.object({
  requestId: z.string().min(1),
  tenantId: z.string().min(1).optional(),
  model: z.object({ provider: z.string(), model: z.string().min(1) }).optional(),
  reasons: z.array(z.string()).optional(),
  outcome: z.discriminatedUnion('type', [
    z.object({ type: z.literal('cascade'), from: z.string().min(1), to: z.string().min(1) }),
    z.object({ type: z.literal('rating'), score: z.number().min(0).max(5) }),
    z.object({ type: z.literal('judged'), score: z.number().min(0).max(5) }),
  ]),
});

type Outcome = RouteFeedback['outcome'];

const filled = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function plainOutcome(value: unknown): Outcome | undefined {
  if (!isPlain(value)) return undefined;
  const { type } = value;
  if (type === 'cascade') {
    const { from, to } = value;
    return filled(from) && filled(to) ? { type, from, to } : undefined;
  }
  if (type !== 'rating' && type !== 'judged') return undefined;
  const { score } = value;
  return typeof score === 'number' && score >= 0 && score <= 5 ? { type, score } : undefined;
}

/**
 * The feedback the gateway sends on every verdict, checked by hand: plain objects with the
 * schema's fields only. Undefined whenever the schema has to decide (and name what is wrong).
 */
function plainFeedback(input: unknown): RouteFeedback | undefined {
  if (!isPlain(input)) return undefined;
  const { requestId, tenantId, model, reasons } = input;
  if (!filled(requestId) || (tenantId !== undefined && !filled(tenantId))) return undefined;
  const outcome = plainOutcome(input.outcome);
  if (!outcome) return undefined;
  const feedback: RouteFeedback = { requestId, outcome };
  if (tenantId !== undefined) feedback.tenantId = tenantId;
  if (model !== undefined) {
    if (!isPlain(model) || typeof model.provider !== 'string' || !filled(model.model)) return undefined;
    feedback.model = { provider: model.provider, model: model.model };
  }
  if (reasons !== undefined) {
    if (!Array.isArray(reasons) || !reasons.every((reason) => typeof reason === 'string')) return undefined;
    feedback.reasons = [...reasons];
  }
  return feedback;
}

/**
 * Reads a {@link RouteFeedback} a host or the gateway handed over: by hand when it is a plain
 * well-formed object, else through the schema.
 * @throws ValidationError naming what is wrong.
 */
export function readRouteFeedback(input: unknown): RouteFeedback {
  let plain: RouteFeedback | undefined;
  try {
    plain = plainFeedback(input);
  } catch {
    // A Proxy or a getter that throws: the schema's snapshot turns it into a validation error.
  }
  return plain ?? (parseWith(feedbackSchema, input, 'route feedback') as RouteFeedback);
}
