import type { ChatRequest } from '@forge1/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textWithPlantedValues } from '../../test/planted-values.js';
import { mapRequestTexts, type RedactionMode, redactRequest } from './redact.js';
import { builtInDetector, builtInDetectorNames, createScanner } from './scanner.js';
import { createStreamRestorer, createVault, kindLabel, maskFor } from './vault.js';

const scanner = createScanner(builtInDetectorNames.map(builtInDetector));
const all = (mode: RedactionMode) => new Map(builtInDetectorNames.map((name) => [name, mode]));
const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });

/** Splits text at the given fractions of its length. */
const cut = (text: string, points: number[]) => {
  const at = [...new Set(points.map((point) => Math.floor(point * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let previous = 0;
  for (const index of at) {
    pieces.push(text.slice(previous, index));
    previous = index;
  }
  pieces.push(text.slice(previous));
  return pieces;
};
const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

describe('tokenisation and restoration', () => {
  it('removes every planted value and restores the text exactly', () => {
    fc.assert(
      fc.property(textWithPlantedValues, ({ text, planted }) => {
        const vault = createVault();
        const outcome = redactRequest(ask(text), scanner, all('tokenize'), vault);
        const sent = outcome.value.messages[0]!.content as string;
        for (const { value } of planted) expect(sent).not.toContain(value);
        for (const { kind } of planted) expect(outcome.counts[kind]).toBeGreaterThan(0);
        expect(vault.restore(sent)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('restores the same text whatever the chunk boundaries of a stream', () => {
    fc.assert(
      fc.property(textWithPlantedValues, fractions, ({ text }, points) => {
        const vault = createVault();
        const sent = redactRequest(ask(text), scanner, all('tokenize'), vault).value.messages[0]!
          .content as string;
        const restorer = createStreamRestorer(vault);
        const out =
          cut(sent, points)
            .map((piece) => restorer.push(piece))
            .join('') + restorer.flush();
        expect(out).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('restores placeholders inside streamed JSON arguments as escaped string content', () => {
    fc.assert(
      fc.property(textWithPlantedValues, fractions, ({ text }, points) => {
        const vault = createVault();
        const sent = redactRequest(ask(text), scanner, all('tokenize'), vault).value.messages[0]!
          .content as string;
        const json = JSON.stringify({ note: sent });
        const restorer = createStreamRestorer(vault, { json: true });
        const out =
          cut(json, points)
            .map((piece) => restorer.push(piece))
            .join('') + restorer.flush();
        expect(JSON.parse(out)).toEqual({ note: text });
      }),
      { numRuns: 200 },
    );
  });

  it('masks without a way back and reports blocking kinds', () => {
    fc.assert(
      fc.property(textWithPlantedValues, ({ text, planted }) => {
        const vault = createVault();
        const masked = redactRequest(ask(text), scanner, all('mask'), vault);
        const sent = masked.value.messages[0]!.content as string;
        for (const { value, kind } of planted) {
          expect(sent).not.toContain(value);
          expect(sent).toContain(maskFor(kind));
        }
        expect(vault.size).toBe(0);
        const blocked = redactRequest(ask(text), scanner, all('block'), createVault());
        expect(blocked.blocked).toEqual(expect.arrayContaining([...new Set(planted.map((p) => p.kind))]));
      }),
      { numRuns: 100 },
    );
  });
});

describe('createVault', () => {
  it('gives one placeholder per value and skips placeholders the request already contains', () => {
    const vault = createVault((placeholder) => placeholder === '[EMAIL_1]');
    expect(vault.placeholder('email', 'a@b.io')).toBe('[EMAIL_2]');
    expect(vault.placeholder('email', 'a@b.io')).toBe('[EMAIL_2]');
    expect(vault.placeholder('paymentCard', '4111111111111111')).toBe('[PAYMENT_CARD_1]');
    expect(vault.restore('[EMAIL_1] [EMAIL_2] [PAYMENT_CARD_1] [OTHER_9]')).toBe(
      '[EMAIL_1] a@b.io 4111111111111111 [OTHER_9]',
    );
    expect(kindLabel('employee-id')).toBe('EMPLOYEE_ID');
  });

  it('holds back a possible placeholder start and releases it when it is not one', () => {
    const vault = createVault();
    vault.placeholder('email', 'x@y.io');
    const restorer = createStreamRestorer(vault);
    expect(restorer.push('see [EM')).toBe('see ');
    expect(restorer.push('AIL_1] and [x')).toBe('x@y.io and [x');
    expect(restorer.push(' [EMA')).toBe(' ');
    expect(restorer.flush()).toBe('[EMA');
  });
});

describe('mapRequestTexts', () => {
  it('rewrites message text, text parts and tool-call arguments, and keeps other parts', () => {
    const request = {
      messages: [
        { role: 'system', content: 'sys a' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'part a' },
            { type: 'image', url: 'https://x/a.png' },
          ],
        },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":"a"}' }] },
        { role: 'tool', toolCallId: 'c1', content: 'result a' },
      ],
    } as unknown as ChatRequest;
    const out = mapRequestTexts(request, (text) => text.replaceAll('a', 'b'));
    expect(out).toEqual({
      messages: [
        { role: 'system', content: 'sys b' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'pbrt b' },
            { type: 'image', url: 'https://x/a.png' },
          ],
        },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{"b":"b"}' }] },
        { role: 'tool', toolCallId: 'c1', content: 'result b' },
      ],
    });
    expect(mapRequestTexts(request, (text) => text)).toBe(request);
  });
});
