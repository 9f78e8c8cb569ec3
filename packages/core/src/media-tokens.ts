import { base64ByteLength, type FilePart, type ImagePart } from './content.js';

/** Width and height of an image in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

/** Tokens assumed for an image whose size cannot be read (a URL): Anthropic's documented ceiling. */
export const unknownImageTokens = 1_600;
/** Tokens assumed per PDF page: the top of Anthropic's 1 500–3 000 text range (images cost extra there). */
export const pdfPageTokens = 3_000;
/** PDF bytes per page assumed when the page count cannot be read. */
const pdfBytesPerPage = 50_000;

/**
 * Reads the pixel size from the header of PNG, GIF, JPEG or WebP bytes given as base64;
 * undefined when the format is not recognised. Decodes only the first 64 KB.
 */
export function readImageSize(data: string): ImageSize | undefined {
  const bytes = Buffer.from(data.slice(0, 87_384), 'base64');
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'GIF') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (
    bytes.length >= 30 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return webpSize(bytes);
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return undefined;
}

function webpSize(bytes: Buffer): ImageSize | undefined {
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  if (chunk === 'VP8 ')
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = bytes.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  return undefined;
}

function jpegSize(bytes: Buffer): ImageSize | undefined {
  let offset = 2;
  while (offset + 9 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
    }
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return undefined;
}

/**
 * Input tokens of an image of the given size: the largest of the providers' documented rules,
 * so that a reservation is never short whichever provider serves it.
 * - OpenAI (high detail): fit in 2048 × 2048, shortest side to 768, 170 per 512-px tile plus 85.
 * - Anthropic: width × height / 750 after fitting the long edge in 1568 px, at most about 1 600.
 * - Gemini: 258 when both sides are at most 384 px, else 258 per 768-px tile.
 */
export function imageTokens(size: ImageSize): number {
  const { width, height } = size;
  if (width <= 0 || height <= 0) return 0;
  const fit = Math.min(1, 2048 / Math.max(width, height));
  const shortSide = Math.min(1, 768 / (Math.min(width, height) * fit));
  const openAiWidth = width * fit * shortSide;
  const openAiHeight = height * fit * shortSide;
  const openAi = 85 + 170 * Math.ceil(openAiWidth / 512) * Math.ceil(openAiHeight / 512);
  const scale = Math.min(1, 1568 / Math.max(width, height));
  const anthropic = Math.min(unknownImageTokens, Math.ceil((width * scale * height * scale) / 750));
  const gemini = width <= 384 && height <= 384 ? 258 : 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
  return Math.max(openAi, anthropic, gemini);
}

/** Estimated input tokens of an image part; a URL or an unreadable header counts {@link unknownImageTokens}. */
export function estimateImagePartTokens(part: ImagePart): number {
  const size = 'data' in part ? readImageSize(part.data) : undefined;
  return size ? imageTokens(size) : unknownImageTokens;
}

/**
 * Estimated input tokens of a file part, by its size: PDFs at {@link pdfPageTokens} per page
 * (pages counted in the file, else one per 50 KB), any other file at four bytes a token.
 */
export function estimateFilePartTokens(part: FilePart): number {
  const bytes = base64ByteLength(part.data);
  if (part.mediaType === 'application/pdf') {
    const pages = countPdfPages(part.data) || Math.max(1, Math.ceil(bytes / pdfBytesPerPage));
    return pages * pdfPageTokens;
  }
  return Math.ceil(bytes / 4);
}

/** Page objects in a PDF (`/Type /Page`, not `/Pages`); 0 when none is found. */
function countPdfPages(data: string): number {
  const source = Buffer.from(data, 'base64').toString('latin1');
  return source.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}
