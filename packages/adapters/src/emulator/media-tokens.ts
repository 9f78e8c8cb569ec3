import { type ImageSize, readImageSize } from '@forge1/core';
import type { EmulatorProvider } from './emulator-options.js';
import { tokensOf } from './emulator-request.js';

/** Pixel size of an image (core's type). */
export type { ImageSize };

/** The size the emulator assumes for an image it cannot see (a URL it does not fetch). */
export const assumedImageSize: ImageSize = { width: 1024, height: 1024 };

/** The size written in a PNG, GIF, JPEG or WebP header, or undefined: core's reader, over bytes. */
export function imageSizeOf(bytes: Buffer): ImageSize | undefined {
  return readImageSize(bytes.toString('base64'));
}

const scaleToFit = (size: ImageSize, box: number): ImageSize => {
  const scale = Math.min(1, box / Math.max(size.width, size.height));
  return { width: Math.floor(size.width * scale), height: Math.floor(size.height * scale) };
};

/**
 * Tokens of one image as each provider documents them:
 * - OpenAI (GPT-4o family): `low` detail 85; otherwise fit in 2048×2048, shortest side down to
 *   768, then 170 per 512-pixel tile plus 85;
 * - Anthropic: long edge down to 1568, then width × height / 750;
 * - Gemini: 258 when both sides are at most 384, else 258 per 768×768 tile.
 */
export function imageTokens(provider: EmulatorProvider, size: ImageSize, detail?: string): number {
  if (provider === 'openai') {
    if (detail === 'low') return 85;
    let fitted = scaleToFit(size, 2048);
    const shortest = Math.min(fitted.width, fitted.height);
    if (shortest > 768) {
      const scale = 768 / shortest;
      fitted = { width: Math.floor(fitted.width * scale), height: Math.floor(fitted.height * scale) };
    }
    return 85 + 170 * Math.ceil(fitted.width / 512) * Math.ceil(fitted.height / 512);
  }
  if (provider === 'anthropic') {
    const fitted = scaleToFit(size, 1568);
    return Math.ceil((fitted.width * fitted.height) / 750);
  }
  if (size.width <= 384 && size.height <= 384) return 258;
  return 258 * Math.ceil(size.width / 768) * Math.ceil(size.height / 768);
}

/** Tokens of an image given as base64 bytes (its header's size) or a URL (the assumed size). */
export function imagePartTokens(
  provider: EmulatorProvider,
  base64: string | undefined,
  detail?: string,
): number {
  const size = base64 === undefined ? undefined : imageSizeOf(Buffer.from(base64, 'base64'));
  return imageTokens(provider, size ?? assumedImageSize, detail);
}

// A page rendered as an image: US letter at 96 dpi.
const PAGE: ImageSize = { width: 816, height: 1056 };

/**
 * Tokens of a document part: a PDF counts each page (`/Type /Page` objects) as an image, 258
 * a page for Gemini, plus its text for OpenAI and Anthropic (which read both); any other file
 * counts as its text.
 */
export function documentTokens(provider: EmulatorProvider, base64: string, mediaType: string): number {
  const bytes = Buffer.from(base64, 'base64');
  if (mediaType !== 'application/pdf') return tokensOf(bytes.toString('utf8').length);
  const pages = Math.max(1, bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0);
  if (provider === 'google') return 258 * pages;
  return pages * imageTokens(provider, PAGE) + tokensOf(bytes.length);
}

/** An image or file a request carries, as a wire module found it. */
export interface WireMedia {
  /** Base64 bytes; absent for a URL the emulator does not fetch. */
  data?: string;
  mediaType?: string;
  /** OpenAI's image `detail`. */
  detail?: string;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** A `data:` URL's media type and bytes, or a plain URL's nothing. */
export function mediaOfUrl(url: unknown, detail?: unknown): WireMedia {
  const match = typeof url === 'string' ? DATA_URL.exec(url) : null;
  return {
    ...(match?.[1] && match[2] !== undefined ? { mediaType: match[1], data: match[2] } : {}),
    ...(typeof detail === 'string' ? { detail } : {}),
  };
}

/** Tokens of one image or file: images by their size, documents by their pages and text. */
export function mediaTokens(provider: EmulatorProvider, media: WireMedia): number {
  const type = media.mediaType ?? 'image/jpeg';
  if (type.startsWith('image/')) return imagePartTokens(provider, media.data, media.detail);
  return media.data === undefined ? imageTokens(provider, PAGE) : documentTokens(provider, media.data, type);
}
