// The public, checked versions of core's content, media and id helpers (see checked-exports.ts).
import {
  base64ByteLength as base64ByteLengthUnchecked,
  type ContentPartCounts,
  contentText as contentTextUnchecked,
  type FilePart,
  hasMediaParts as hasMediaPartsUnchecked,
  type ImagePart,
  type MessageContent,
} from './content.js';
import { asInputError, expectNumber, expectObject, expectString, finite, notParts } from './guards.js';
import { isUlid as isUlidUnchecked } from './ids.js';
import {
  estimateFilePartTokens as estimateFilePartTokensUnchecked,
  estimateImagePartTokens as estimateImagePartTokensUnchecked,
  type ImageSize,
  imageTokens as imageTokensUnchecked,
  readImageSize as readImageSizeUnchecked,
} from './media-tokens.js';

/**
 * The text of a message content: the string itself, or its text parts joined by a newline.
 * Images and files contribute nothing.
 * @throws ValidationError when the content is neither a string nor an array of parts.
 */
export function contentText(content: MessageContent): string {
  if (typeof content === 'string') return content;
  try {
    if (!Array.isArray(content)) throw notParts('contentText', 'content');
    const text = contentTextUnchecked(content);
    expectString(text, 'contentText', 'content');
    return text;
  } catch (thrown) {
    throw asInputError(thrown, 'contentText');
  }
}

/**
 * True when the content holds an image or a file part.
 * @throws ValidationError when the content is neither a string nor an array of parts.
 */
export function hasMediaParts(content: MessageContent): boolean {
  if (typeof content === 'string') return false;
  try {
    if (!Array.isArray(content)) throw notParts('hasMediaParts', 'content');
    return hasMediaPartsUnchecked(content);
  } catch (thrown) {
    throw asInputError(thrown, 'hasMediaParts');
  }
}

/**
 * Counts the parts of each kind over many message contents; never looks at their bytes.
 * @throws ValidationError when `contents` is not an iterable of message contents.
 */
export function countContentParts(contents: Iterable<MessageContent>): ContentPartCounts {
  const counts: ContentPartCounts = { text: 0, image: 0, file: 0 };
  try {
    for (const content of contents) {
      if (typeof content === 'string') counts.text++;
      else if (!Array.isArray(content)) throw notParts('countContentParts', 'contents');
      else
        for (const part of content as unknown[]) {
          const type = (part as { type?: unknown } | null)?.type;
          if (type !== 'text' && type !== 'image' && type !== 'file') {
            throw notParts('countContentParts', 'contents', 'has a part of an unknown type');
          }
          counts[type]++;
        }
    }
  } catch (thrown) {
    throw asInputError(thrown, 'countContentParts');
  }
  return counts;
}

/**
 * Decoded byte length of a base64 string, without decoding it.
 * @throws ValidationError when `data` is not a string.
 */
export function base64ByteLength(data: string): number {
  expectString(data, 'base64ByteLength', 'data');
  return base64ByteLengthUnchecked(data);
}

/**
 * Reads the pixel size from the header of PNG, GIF, JPEG or WebP bytes given as base64;
 * undefined when the format is not recognised. Decodes only the first 64 KB.
 * @throws ValidationError when `data` is not a string.
 */
export function readImageSize(data: string): ImageSize | undefined {
  expectString(data, 'readImageSize', 'data');
  return readImageSizeUnchecked(data);
}

/**
 * Input tokens of an image of the given size: the largest of the providers' documented rules.
 * @throws ValidationError when the size is not an object of finite width and height.
 */
export function imageTokens(size: ImageSize): number {
  expectObject(size, 'imageTokens', 'size');
  try {
    expectNumber(size.width, 'imageTokens', 'size.width');
    expectNumber(size.height, 'imageTokens', 'size.height');
    return finite(imageTokensUnchecked(size), 'imageTokens');
  } catch (thrown) {
    throw asInputError(thrown, 'imageTokens');
  }
}

/**
 * Estimated input tokens of an image part; a URL or an unreadable header counts the documented ceiling.
 * @throws ValidationError when the part is not an image part.
 */
export function estimateImagePartTokens(part: ImagePart): number {
  expectObject(part, 'estimateImagePartTokens', 'part');
  try {
    if ('data' in part) expectString(part.data, 'estimateImagePartTokens', 'part.data');
    return estimateImagePartTokensUnchecked(part);
  } catch (thrown) {
    throw asInputError(thrown, 'estimateImagePartTokens');
  }
}

/**
 * Estimated input tokens of a file part, by its size: PDFs per page, any other file at four bytes a token.
 * @throws ValidationError when the part is not a file part.
 */
export function estimateFilePartTokens(part: FilePart): number {
  expectObject(part, 'estimateFilePartTokens', 'part');
  try {
    expectString(part.data, 'estimateFilePartTokens', 'part.data');
    return estimateFilePartTokensUnchecked(part);
  } catch (thrown) {
    throw asInputError(thrown, 'estimateFilePartTokens');
  }
}

/** True when the value is a well-formed ULID (false for anything but such a string). */
export const isUlid = (value: string): boolean => typeof value === 'string' && isUlidUnchecked(value);
