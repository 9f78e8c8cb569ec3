import type { ContentPart } from '@forge1/core';

/** An image or file part, as inline bytes or a URL the provider fetches. */
export type MediaSource =
  | { kind: 'data'; data: string; mediaType: string; filename?: string }
  | { kind: 'url'; url: string; mediaType: string };

const DATA_URL = /^data:([a-z0-9.+/-]+);base64,(.*)$/is;
const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

/** The media type a URL's extension names, else `image/jpeg` (an image URL is all a part can hold). */
export function mediaTypeOfUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return EXTENSION_TYPES[extension] ?? 'image/jpeg';
}

/**
 * Where the bytes of an image or file part are: inline (a `data:` URL counts as inline, since
 * the providers that take URLs fetch only http(s) ones), or at an http(s) URL.
 */
export function mediaSourceOf(part: Exclude<ContentPart, { type: 'text' }>): MediaSource {
  if (part.type === 'file') {
    return {
      kind: 'data',
      data: part.data,
      mediaType: part.mediaType,
      ...(part.filename === undefined ? {} : { filename: part.filename }),
    };
  }
  if ('data' in part) return { kind: 'data', data: part.data, mediaType: part.mediaType };
  const inline = DATA_URL.exec(part.url);
  if (inline?.[1] && inline[2] !== undefined) {
    return { kind: 'data', data: inline[2], mediaType: inline[1].toLowerCase() };
  }
  return { kind: 'url', url: part.url, mediaType: mediaTypeOfUrl(part.url) };
}

/** A `data:` URL of inline bytes. */
export const dataUrlOf = (data: string, mediaType: string): string => `data:${mediaType};base64,${data}`;
