import { describe, expect, it } from 'vitest';
import { documentTokens, imageSizeOf, imageTokens, mediaOfUrl, mediaTokens } from './media-tokens.js';

const png2x2 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEklEQVR42mP8z8Dwn4GBgYEBAB0fAgJnQ0BPAAAAAElFTkSuQmCC';

describe('media tokens', () => {
  it('reads the size in PNG, GIF and JPEG headers', () => {
    expect(imageSizeOf(Buffer.from(png2x2, 'base64'))).toEqual({ width: 2, height: 2 });
    const gif = Buffer.from('GIF89a', 'latin1');
    expect(imageSizeOf(Buffer.concat([gif, Buffer.from([0x40, 0x01, 0xf0, 0x00])]))).toEqual({
      width: 320,
      height: 240,
    });
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0,
    ]);
    expect(imageSizeOf(jpeg)).toEqual({ width: 640, height: 480 });
    expect(imageSizeOf(Buffer.from('not an image'))).toBeUndefined();
  });

  it("counts OpenAI images in 512-pixel tiles after OpenAI's resizing, 85 at low detail", () => {
    expect(imageTokens('openai', { width: 1024, height: 1024 })).toBe(85 + 170 * 4);
    expect(imageTokens('openai', { width: 2048, height: 4096 })).toBe(85 + 170 * 6);
    expect(imageTokens('openai', { width: 4000, height: 4000 }, 'low')).toBe(85);
  });

  it('counts Anthropic images as width × height / 750 after fitting the long edge in 1568', () => {
    expect(imageTokens('anthropic', { width: 1000, height: 1000 })).toBe(1334);
    expect(imageTokens('anthropic', { width: 3136, height: 1568 })).toBe(Math.ceil((1568 * 784) / 750));
  });

  it('counts Gemini images as 258, or 258 per 768-pixel tile above 384 pixels', () => {
    expect(imageTokens('google', { width: 384, height: 384 })).toBe(258);
    expect(imageTokens('google', { width: 1024, height: 1024 })).toBe(258 * 4);
  });

  it('counts PDF pages (258 each for Gemini) and other files by their text', () => {
    const pdf = Buffer.from('%PDF-1.4 /Type /Pages /Type /Page /Type /Page').toString('base64');
    expect(documentTokens('google', pdf, 'application/pdf')).toBe(516);
    expect(documentTokens('anthropic', pdf, 'application/pdf')).toBeGreaterThan(2 * 1000);
    expect(documentTokens('openai', Buffer.from('a'.repeat(40)).toString('base64'), 'text/plain')).toBe(10);
  });

  it('reads data: URLs and assumes a size for URLs it does not fetch', () => {
    expect(mediaOfUrl(`data:image/png;base64,${png2x2}`, 'low')).toEqual({
      mediaType: 'image/png',
      data: png2x2,
      detail: 'low',
    });
    expect(mediaTokens('google', mediaOfUrl('https://example.com/a.png'))).toBe(258 * 4);
  });
});
