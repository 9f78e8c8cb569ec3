import { analyzeRequest, extractSignals } from '@forge1/router';
import { describe, expect, it } from 'vitest';

const ask = (content: string, extra: object = {}) => ({
  messages: [{ role: 'user' as const, content }],
  ...extra,
});

describe('analyzeRequest', () => {
  it('rates a greeting simple with high confidence', () => {
    const analysis = analyzeRequest(ask('Hello there, thanks!'));
    expect(analysis.level).toBe('simple');
    expect(analysis.confidence).toBeGreaterThan(0.8);
  });

  it('rates a how-to question moderate and says why', () => {
    const analysis = analyzeRequest(ask('How do I configure nginx to redirect HTTP traffic to HTTPS?'));
    expect(analysis.level).toBe('moderate');
    expect(analysis.reasons.join(' ')).toContain('explain / how-to');
  });

  it('rates a design question with constraints complex', () => {
    const analysis = analyzeRequest(
      ask(
        'Design a sharding strategy for our Postgres cluster and compare it with read replicas; what are the trade-offs?',
      ),
    );
    expect(analysis.level).toBe('complex');
  });

  it('rates an ongoing breach critical, but the vocabulary alone only complex', () => {
    expect(
      analyzeRequest(
        ask('We just found attackers exfiltrating customer data from our database right now. What do we do?'),
      ).level,
    ).toBe('critical');
    expect(
      analyzeRequest(ask('Write a postmortem template for a past data breach, for training.')).level,
    ).not.toBe('critical');
  });

  it('rates a health, legal or money question critical when a decision is due now, not when it is general', () => {
    expect(
      analyzeRequest(ask('My toddler swallowed a magnet an hour ago and seems fine. What should I do?'))
        .level,
    ).toBe('critical');
    expect(
      analyzeRequest(ask('Is it safe to take these two medications together before my surgery tomorrow?'))
        .level,
    ).toBe('critical');
    expect(
      analyzeRequest(ask('Explain in plain language how a medication dose is chosen for children.')).level,
    ).not.toBe('critical');
  });

  it('rates writing non-trivial code or a derivation complex, and a short factual question simple', () => {
    expect(
      analyzeRequest(ask('Write a Go function that merges overlapping intervals and handles empty input.'))
        .level,
    ).toBe('complex');
    expect(analyzeRequest(ask('Derive the expected value of a geometric distribution.')).level).toBe(
      'complex',
    );
    expect(analyzeRequest(ask('Who invented the telephone?')).level).toBe('simple');
  });

  it('detects code, stack traces, logs, configuration and maths', () => {
    const signals = extractSignals(
      ask(
        'Why?\n```js\nconst x = 1;\n```\nTraceback (most recent call last):\n  File "a.py", line 3, in <module>\n2025-01-01T10:00:00Z ERROR boom\n2025-01-01T10:00:01Z ERROR again\napiVersion: v1\nwhere x = 2 * 3',
      ),
    );
    expect(signals).toMatchObject({
      code: true,
      stackTrace: true,
      logs: true,
      configuration: true,
      maths: true,
    });
  });

  it('reads JSON strictness, tools, output size, conversation length and role', () => {
    const request = {
      messages: [
        { role: 'system' as const, content: 'You are helpful.' },
        { role: 'user' as const, content: 'List items' },
      ],
      maxTokens: 4000,
      responseFormat: {
        type: 'json' as const,
        schema: { type: 'object', required: ['a', 'b'], properties: {} },
      },
      tools: [{ name: 'lookup', parameters: {} }],
      toolChoice: 'required' as const,
      metadata: { role: 'CISO' },
    };
    const signals = extractSignals(request);
    expect(signals).toMatchObject({
      json: 'schema',
      schemaFields: 2,
      tools: 1,
      toolRequired: true,
      maxTokens: 4000,
      turns: 2,
      role: 'ciso',
    });
    const plain = analyzeRequest({ messages: [{ role: 'user', content: 'List items' }] });
    expect(analyzeRequest(request).score).toBeGreaterThan(plain.score);
  });

  it('is deterministic', () => {
    const request = ask('Compare Kafka and RabbitMQ for 20k msgs/s with ordering per customer.');
    expect(analyzeRequest(request)).toEqual(analyzeRequest(request));
  });

  it('keeps the score within 0..1 for any text', () => {
    for (const text of ['', '?'.repeat(500), 'breach incident urgent '.repeat(200), 'x'.repeat(20_000)]) {
      const { score } = analyzeRequest(ask(text));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('refuses thresholds that are missing, not finite or out of order, and a role that is not a string', () => {
    for (const thresholds of [
      {},
      { simple: 0.2, moderate: 0.4 },
      { simple: 0.2, moderate: Number.POSITIVE_INFINITY, complex: 0.7 },
      { simple: 0.5, moderate: 0.4, complex: 0.7 },
    ]) {
      expect(() => analyzeRequest(ask('Explain TCP.'), {}, thresholds as never)).toThrow(
        expect.objectContaining({ code: 'validation_error' }),
      );
    }
    expect(() => analyzeRequest(ask('Explain TCP.'), { role: 42 } as never)).toThrow(/context\.role/);
    const custom = analyzeRequest(ask('Explain TCP.'), {}, { simple: 0.1, moderate: 0.2, complex: 0.3 });
    expect(Number.isFinite(custom.confidence)).toBe(true);
  });
});
