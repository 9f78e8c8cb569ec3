import { z } from 'zod';
import type { ChatMessage } from './chat.js';
import { parseWith } from './validation.js';

/** Media types an image part may carry; every provider accepts these four. */
export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** Longest text of a message or part, in UTF-16 code units. */
export const MAX_TEXT = 10_000_000;
/** Base64 of at most about 20 MB, the largest inline payload any provider accepts. */
const MAX_BASE64 = 27_000_000;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

const text = z.string().max(MAX_TEXT);
const base64 = z
  .string()
  .min(1, 'expected base64 bytes')
  .max(MAX_BASE64, 'inline data over 20 MB; send a URL instead')
  .refine(isBase64, 'expected standard padded base64');
const imageUrl = z
  .string()
  .max(MAX_BASE64)
  .refine(
    (value) => /^(https?:\/\/\S+|data:image\/[a-z+.-]+;base64,)/i.test(value),
    'expected an http(s) or data: URL',
  );

const textPart = z.object({ type: z.literal('text'), text }).strict();
// One object with a refinement rather than a union, so that a bad field is named in the error.
const imagePart = z
  .object({
    type: z.literal('image'),
    url: imageUrl.optional(),
    data: base64.optional(),
    mediaType: z
      .enum(imageMediaTypes, { message: `expected one of ${imageMediaTypes.join(', ')}` })
      .optional(),
  })
  .strict()
  .superRefine((part, context) => {
    if (part.url !== undefined) {
      if (part.data !== undefined || part.mediaType !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['url'],
          message: 'give either url or data and mediaType, not both',
        });
      }
    } else if (part.data === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'an image needs a url, or data and mediaType',
      });
    } else if (part.mediaType === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['mediaType'],
        message: 'inline image data needs its mediaType',
      });
    }
  });
const filePart = z
  .object({
    type: z.literal('file'),
    data: base64,
    mediaType: z.string().regex(MEDIA_TYPE, 'expected a media type such as application/pdf'),
    filename: z.string().min(1).max(255).optional(),
  })
  .strict();

/** Schema of one content part: text, image (URL or base64) or file (base64). */
export const contentPartSchema = z.discriminatedUnion('type', [textPart, imagePart, filePart]);

const partList = z.array(contentPartSchema).min(1, 'at least one part is required').max(1000);
// Picks the branch by the value's type instead of a union, so errors name the bad part field.
const userContent = z.unknown().transform((value, context) => {
  const result = typeof value === 'string' ? text.safeParse(value) : partList.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
  return z.NEVER;
});
const toolCall = z.object({ id: z.string().min(1), name: z.string().min(1), arguments: z.string() }).strict();

/** Schema of one {@link ChatMessage}; user content may be a string or an array of parts. */
export const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: text }).strict(),
  z.object({ role: z.literal('user'), content: userContent }).strict(),
  z.object({ role: z.literal('assistant'), content: text, toolCalls: z.array(toolCall).optional() }).strict(),
  z
    .object({
      role: z.literal('tool'),
      toolCallId: z.string().min(1),
      name: z.string().optional(),
      content: text,
    })
    .strict(),
]);

/** Standard padded base64, checked in one pass (a regex overflows the stack on megabytes). */
function isBase64(value: string): boolean {
  if (value.length % 4 !== 0) return false;
  let end = value.length;
  if (value.endsWith('==')) end -= 2;
  else if (value.endsWith('=')) end -= 1;
  for (let index = 0; index < end; index++) {
    const code = value.charCodeAt(index);
    const valid =
      (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) ||
      (code >= 48 && code <= 57) ||
      code === 43 ||
      code === 47;
    if (!valid) return false;
  }
  return true;
}

/**
 * Validates one chat message.
 * @throws ValidationError naming each bad field (for example `content.1.mediaType`).
 */
export function parseChatMessage(value: unknown): ChatMessage {
  return parseWith(chatMessageSchema, value, 'chat message') as ChatMessage;
}
