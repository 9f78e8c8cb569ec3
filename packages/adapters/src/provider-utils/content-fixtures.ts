import type { ContentPart } from '@forge1/core';

/** A 1×1 PNG, base64. */
export const tinyPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Base64 of a plain-text file. */
export const textFile = Buffer.from('Invoice 42: total 10 EUR').toString('base64');

/** One part of each kind: text, image by URL, inline image, inline PDF, inline text file. */
export const everyPart: ContentPart[] = [
  { type: 'text', text: 'Describe these.' },
  { type: 'image', url: 'https://example.com/cat.png' },
  { type: 'image', data: tinyPng, mediaType: 'image/png' },
  { type: 'file', data: 'JVBERi0xLjQK', mediaType: 'application/pdf', filename: 'report.pdf' },
  { type: 'file', data: textFile, mediaType: 'text/plain' },
];
