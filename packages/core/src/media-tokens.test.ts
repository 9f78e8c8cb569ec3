import { describe, expect, it } from 'vitest';
import {
  estimateFilePartTokens,
  estimateImagePartTokens,
  imageTokens,
  pdfPageTokens,
  readImageSize,
  unknownImageTokens,
} from './index.js';

const b64 = (bytes: number[] | Buffer) => Buffer.from(bytes).toString('base64');

function png(width: number, height: number): string {
  const header = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(header, 0);
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return b64(header);
}

function jpeg(width: number, height: number): string {
  const app0 = [0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 3];
  return b64([0xff, 0xd8, ...app0, ...sof0, ...Array(12).fill(0)]);
}

function gif(width: number, height: number): string {
  const bytes = Buffer.alloc(13);
  bytes.write('GIF89a', 0, 'latin1');
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  return b64(bytes);
}

function webp(width: number, height: number): string {
  const bytes = Buffer.alloc(30);
  bytes.write('RIFF', 0, 'latin1');
  bytes.write('WEBPVP8X', 8, 'latin1');
  bytes.writeUIntLE(width - 1, 24, 3);
  bytes.writeUIntLE(height - 1, 27, 3);
  return b64(bytes);
}

describe('image sizes', () => {
  it('reads the size of PNG, JPEG, GIF and WebP headers', () => {
    expect(readImageSize(png(1000, 500))).toEqual({ width: 1000, height: 500 });
    expect(readImageSize(jpeg(640, 480))).toEqual({ width: 640, height: 480 });
    expect(readImageSize(gif(32, 16))).toEqual({ width: 32, height: 16 });
    expect(readImageSize(webp(1920, 1080))).toEqual({ width: 1920, height: 1080 });
  });

  it('returns undefined for bytes that are no known image', () => {
    expect(readImageSize(b64(Buffer.from('hello world, not an image')))).toBeUndefined();
  });
});

describe('image tokens', () => {
  it('take the largest provider rule: Anthropic for a 1000 × 1000 image', () => {
    // Anthropic 1000·1000/750 = 1334; OpenAI 768² → 4 tiles → 765; Gemini 2×2 tiles → 1032.
    expect(imageTokens({ width: 1000, height: 1000 })).toBe(1334);
  });

  it('count a small image at Gemini 258 or OpenAI 255, whichever is larger', () => {
    // 200 × 200: OpenAI 85 + 170 = 255, Anthropic 54, Gemini 258.
    expect(imageTokens({ width: 200, height: 200 })).toBe(258);
  });

  it('fit a huge image before counting, as the providers resize it', () => {
    // 4000 × 4000: Anthropic caps at 1600; OpenAI 768² → 765; Gemini 6×6 tiles → 9288.
    expect(imageTokens({ width: 4000, height: 4000 })).toBe(9288);
  });

  it('count an image given by URL at the documented ceiling', () => {
    expect(estimateImagePartTokens({ type: 'image', url: 'https://example.com/x.png' })).toBe(
      unknownImageTokens,
    );
  });

  it('count inline image data from its header', () => {
    expect(estimateImagePartTokens({ type: 'image', data: png(1000, 1000), mediaType: 'image/png' })).toBe(
      1334,
    );
  });
});

describe('file tokens', () => {
  it('count a PDF by its pages', () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj <</Type /Pages>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>',
    );
    expect(estimateFilePartTokens({ type: 'file', data: b64(pdf), mediaType: 'application/pdf' })).toBe(
      2 * pdfPageTokens,
    );
  });

  it('count a PDF without readable pages at one page per 50 KB', () => {
    const data = b64(Buffer.alloc(120_000, 1));
    expect(estimateFilePartTokens({ type: 'file', data, mediaType: 'application/pdf' })).toBe(
      3 * pdfPageTokens,
    );
  });

  it('count other files at four bytes a token', () => {
    const data = b64(Buffer.alloc(4_001, 65));
    expect(estimateFilePartTokens({ type: 'file', data, mediaType: 'text/plain' })).toBe(1001);
  });
});
