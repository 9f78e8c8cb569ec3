/** A piece of text inside a message. */
export interface TextPart {
  type: 'text';
  text: string;
}

/** An image the provider fetches from an `https:` (or `data:`) URL. */
export interface ImageUrlPart {
  type: 'image';
  url: string;
}

/** An image sent inline as base64 bytes. */
export interface ImageDataPart {
  type: 'image';
  /** Base64 (standard alphabet, padded) of the image bytes. */
  data: string;
  /** `image/png`, `image/jpeg`, `image/gif` or `image/webp`. */
  mediaType: string;
}

/** An image, by URL or inline. */
export type ImagePart = ImageUrlPart | ImageDataPart;

/** A document sent inline as base64 bytes (PDF, plain text, …, as the provider accepts). */
export interface FilePart {
  type: 'file';
  /** Base64 (standard alphabet, padded) of the file bytes. */
  data: string;
  /** The file's media type, for example `application/pdf`. */
  mediaType: string;
  filename?: string;
}

/** One part of a multimodal message. */
export type ContentPart = TextPart | ImagePart | FilePart;

/** What a user message holds: plain text, or an ordered list of parts. */
export type MessageContent = string | ContentPart[];

/** The kinds of content part. */
export type ContentPartKind = ContentPart['type'];

/** Number of content parts of each kind (a plain string counts as one text part). */
export interface ContentPartCounts {
  text: number;
  image: number;
  file: number;
}

/**
 * The text of a message content: the string itself, or its text parts joined by a newline.
 * Images and files contribute nothing.
 */
export function contentText(content: MessageContent): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) {
    if (part.type !== 'text') continue;
    text = text === '' ? part.text : `${text}\n${part.text}`;
  }
  return text;
}

/** True when the content holds an image or a file part. */
export function hasMediaParts(content: MessageContent): boolean {
  return typeof content !== 'string' && content.some((part) => part.type !== 'text');
}

/** Counts the parts of each kind over many message contents; never looks at their bytes. */
export function countContentParts(contents: Iterable<MessageContent>): ContentPartCounts {
  const counts: ContentPartCounts = { text: 0, image: 0, file: 0 };
  for (const content of contents) {
    if (typeof content === 'string') counts.text++;
    else for (const part of content) counts[part.type]++;
  }
  return counts;
}

/** Decoded byte length of a base64 string, without decoding it. */
export function base64ByteLength(data: string): number {
  let padding = 0;
  if (data.endsWith('==')) padding = 2;
  else if (data.endsWith('=')) padding = 1;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}
