import type {
  Base64ImageSource,
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ContentPart, MessageContent } from '@forge1/core';
import { mediaSourceOf } from '../provider-utils/media.js';

function documentOf(part: Extract<ContentPart, { type: 'file' }>): DocumentBlockParam {
  const title = part.filename === undefined ? {} : { title: part.filename };
  // Plain text goes as text; every other document as base64 (the API accepts PDF).
  if (part.mediaType.startsWith('text/')) {
    const data = Buffer.from(part.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data }, ...title };
  }
  return {
    type: 'document',
    source: { type: 'base64', media_type: part.mediaType as 'application/pdf', data: part.data },
    ...title,
  };
}

function imageOf(part: Extract<ContentPart, { type: 'image' }>): ImageBlockParam {
  const source = mediaSourceOf(part);
  if (source.kind === 'url') return { type: 'image', source: { type: 'url', url: source.url } };
  const mediaType = source.mediaType as Base64ImageSource['media_type'];
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: source.data } };
}

/**
 * A user turn's content as Anthropic blocks: text, `image` (base64 or url source) and
 * `document` (base64 PDF, or a plain-text source for `text/*` files).
 */
export function toContentBlocks(content: MessageContent): ContentBlockParam[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): ContentBlockParam => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    return part.type === 'image' ? imageOf(part) : documentOf(part);
  });
}
