/** Splits an answer text into stream pieces of a few words each. */
export function splitText(text: string, wordsPerPiece = 3): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const pieces: string[] = [];
  for (let index = 0; index < words.length; index += wordsPerPiece) {
    pieces.push(words.slice(index, index + wordsPerPiece).join(''));
  }
  return pieces.length > 0 ? pieces : [''];
}

/** Splits a JSON text into fragments, as providers stream tool arguments. */
export function splitJson(text: string, size = 12): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}

/** `data: <json>\n\n` */
export const dataFrame = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

/** `event: <name>\ndata: <json>\n\n` */
export const eventFrame = (name: string, payload: unknown): string =>
  `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;

/** Retry-after in whole seconds, as the `retry-after` header carries it (at least 1). */
export const retryAfterSeconds = (ms: number, windowMs: number): number =>
  Math.max(1, Math.ceil((Number.isFinite(ms) ? ms : windowMs) / 1000));
