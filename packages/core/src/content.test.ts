import { describe, expect, it } from 'vitest';
import {
  base64ByteLength,
  type ContentPart,
  contentText,
  countContentParts,
  hasMediaParts,
} from './index.js';

const parts: ContentPart[] = [
  { type: 'text', text: 'What is in' },
  { type: 'image', url: 'https://example.com/cat.png' },
  { type: 'text', text: 'this picture?' },
  { type: 'file', data: 'JVBERg==', mediaType: 'application/pdf', filename: 'a.pdf' },
];

describe('message content', () => {
  it('reads a string content as its text', () => {
    expect(contentText('hello')).toBe('hello');
  });

  it('joins the text parts of an array and leaves images and files out', () => {
    expect(contentText(parts)).toBe('What is in\nthis picture?');
  });

  it('tells whether a content holds an image or a file', () => {
    expect(hasMediaParts('plain')).toBe(false);
    expect(hasMediaParts([{ type: 'text', text: 'a' }])).toBe(false);
    expect(hasMediaParts(parts)).toBe(true);
  });

  it('counts parts per kind, a plain string as one text part', () => {
    expect(countContentParts(['hi', parts])).toEqual({ text: 3, image: 1, file: 1 });
  });

  it('computes the decoded length of base64 without decoding', () => {
    for (const bytes of [0, 1, 2, 3, 4, 5, 100]) {
      const data = Buffer.alloc(bytes, 7).toString('base64');
      expect(base64ByteLength(data)).toBe(bytes);
    }
  });
});
