import { describe, expect, it } from 'vitest';
import {
  chatMessageSchema,
  contentPartSchema,
  Forge1Error,
  parseChatMessage,
  ValidationError,
} from './index.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000100000000808060000', 'hex').toString('base64');

function issuesOf(value: unknown) {
  try {
    parseChatMessage(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect(Forge1Error.is(error, 'validation_error')).toBe(true);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a validation error');
}

describe('chat message validation', () => {
  it('accepts a user message with text, image URL, inline image and file parts', () => {
    const message = {
      role: 'user',
      content: [
        { type: 'text', text: 'Compare these' },
        { type: 'image', url: 'https://example.com/a.jpg' },
        { type: 'image', data: png, mediaType: 'image/png' },
        { type: 'file', data: 'JVBERi0xLjQK', mediaType: 'application/pdf', filename: 'report.pdf' },
      ],
    };
    expect(parseChatMessage(message)).toEqual(message);
  });

  it('still accepts plain string content', () => {
    expect(parseChatMessage({ role: 'user', content: 'hi' })).toEqual({ role: 'user', content: 'hi' });
  });

  it('names the part whose base64 is malformed', () => {
    const issues = issuesOf({
      role: 'user',
      content: [{ type: 'image', data: 'not base64!', mediaType: 'image/png' }],
    });
    expect(issues.map((issue) => issue.path)).toEqual(['content.0.data']);
  });

  it('refuses an image media type no provider accepts', () => {
    const issues = issuesOf({
      role: 'user',
      content: [{ type: 'image', data: png, mediaType: 'image/tiff' }],
    });
    expect(issues[0]?.path).toBe('content.0.mediaType');
  });

  it('refuses inline image data without a media type', () => {
    const issues = issuesOf({ role: 'user', content: [{ type: 'image', data: png }] });
    expect(issues[0]?.path).toBe('content.0.mediaType');
  });

  it('refuses an image with both a url and data', () => {
    const issues = issuesOf({
      role: 'user',
      content: [{ type: 'image', url: 'https://example.com/a.png', data: png, mediaType: 'image/png' }],
    });
    expect(issues[0]?.message).toMatch(/not both/);
  });

  it('refuses an image with neither url nor data', () => {
    expect(issuesOf({ role: 'user', content: [{ type: 'image' }] })[0]?.path).toBe('content.0.url');
  });

  it('refuses an image URL that is not http(s) or data:', () => {
    expect(issuesOf({ role: 'user', content: [{ type: 'image', url: 'file:///etc/passwd' }] })[0]?.path).toBe(
      'content.0.url',
    );
  });

  it('refuses a file without a well-formed media type', () => {
    const issues = issuesOf({
      role: 'user',
      content: [{ type: 'file', data: 'JVBERi0xLjQK', mediaType: 'pdf' }],
    });
    expect(issues[0]?.path).toBe('content.0.mediaType');
  });

  it('refuses an empty parts array and an unknown part type', () => {
    expect(issuesOf({ role: 'user', content: [] })[0]?.path).toBe('content');
    expect(issuesOf({ role: 'user', content: [{ type: 'audio', data: png }] })[0]?.path).toBe(
      'content.0.type',
    );
  });

  it('keeps system, assistant and tool content as text', () => {
    expect(issuesOf({ role: 'system', content: [{ type: 'text', text: 'x' }] })[0]?.path).toBe('content');
  });

  it('checks a large inline payload without failing', () => {
    const data = Buffer.alloc(6_000_000, 1).toString('base64');
    const parsed = contentPartSchema.safeParse({ type: 'file', data, mediaType: 'application/octet-stream' });
    expect(parsed.success).toBe(true);
    expect(
      chatMessageSchema.safeParse({
        role: 'user',
        content: [{ type: 'file', data: `${data}!`, mediaType: 'a/b' }],
      }).success,
    ).toBe(false);
  });
});
