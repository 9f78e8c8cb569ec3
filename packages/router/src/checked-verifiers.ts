// The public, checked verifier factories: each checks its options at construction (penalties in
// 0..1, phrases non-empty strings, counts positive integers; an unknown field is named) and returns
// a verifier whose `verify` refuses a malformed input with a validation_error. The router's judge
// runs the unchecked built-in verifiers on results it already validated.
import {
  asInputError,
  type Clock,
  expectFunction,
  expectObject,
  expectString,
  parseWith,
  readingCaller,
  readOptions,
  refuseArgument,
} from '@forge1/core';
import { z } from 'zod';
import { createArithmeticVerifier as arithmetic } from './verify/arithmetic-verifier.js';
import { createBuiltInVerifiers as builtIn } from './verify/built-in-verifiers.js';
import { createFenceVerifier as fences } from './verify/fence-verifier.js';
import {
  type FinalAnswerOptions,
  createFinalAnswerVerifier as finalAnswer,
} from './verify/final-answer-verifier.js';
import {
  type JsonSchemaOptions,
  createJsonSchemaVerifier as jsonSchema,
} from './verify/json-schema-verifier.js';
import { type LlmJudgeOptions, createLlmJudge as llmJudge } from './verify/llm-judge.js';
import {
  type SecondGuessingOptions,
  createSecondGuessingVerifier as secondGuessing,
} from './verify/second-guessing-verifier.js';
import { createTruncationVerifier as truncation } from './verify/truncation-verifier.js';
import type { Verifier, VerifierInput } from './verify/verifier.js';

const penalty = z.number().min(0).max(1);
const count = z.number().int().positive();
const penaltyOnly = z.object({ penalty }).partial().strict();
const schemas = {
  truncation: penaltyOnly,
  jsonSchema: z.object({ invalidPenalty: penalty, schemaPenalty: penalty }).partial().strict(),
  fences: penaltyOnly,
  arithmetic: penaltyOnly,
  finalAnswer: z
    .object({ missingPenalty: penalty, inconsistentPenalty: penalty, recentResults: count })
    .partial()
    .strict(),
  secondGuessing: z
    .object({
      phrases: z.array(z.string().min(1).max(200)).max(1000),
      penaltyPerPhrase: penalty,
      maxPenalty: penalty,
    })
    .partial()
    .strict(),
  llmJudge: z
    .object({
      model: z.object({ provider: z.string().min(1), model: z.string().min(1) }).loose(),
      timeoutMs: count,
      penalty,
      when: z.custom<LlmJudgeOptions['when']>((value) => typeof value === 'function', 'expected a function'),
      maxChars: count,
      clock: z.custom<Clock>(
        (value) =>
          typeof (value as Clock | undefined)?.setTimeout === 'function' &&
          typeof (value as Clock).clearTimeout === 'function',
        'expected a Clock',
      ),
    })
    .partial({ timeoutMs: true, penalty: true, when: true, maxChars: true, clock: true })
    .strict(),
};

const checkOptions = <T extends z.ZodType>(schema: T, options: unknown, fn: string): z.output<T> =>
  parseWith(schema, readOptions(options as object | undefined, fn), `${fn} options`);

/**
 * The fields a verifier reads of its input, each checked once: the result's text and tool calls,
 * the request, the decision, the question and, when present, the judge context.
 */
function readVerifierInput(input: unknown, fn: string): VerifierInput {
  expectObject(input, fn, 'input');
  const { result, request, decision, question, judgeContext } = input;
  expectObject(result, fn, 'input.result');
  expectString(result.text, fn, 'input.result.text');
  if (!Array.isArray(result.toolCalls))
    throw refuseArgument(fn, 'input.result.toolCalls', 'expected an array');
  expectObject(request, fn, 'input.request');
  expectObject(decision, fn, 'input.decision');
  expectString(question, fn, 'input.question');
  if (judgeContext !== undefined) {
    expectObject(judgeContext, fn, 'input.judgeContext');
    expectFunction(judgeContext.complete, fn, 'input.judgeContext.complete');
  }
  return input as unknown as VerifierInput;
}

/** A verifier whose `verify` checks its input first; an async one rejects instead of throwing. */
function checked(verifier: Verifier, async = false): Verifier {
  const fn = `${verifier.name} verifier.verify`;
  if (async) {
    return {
      name: verifier.name,
      async verify(input) {
        try {
          return await verifier.verify(readVerifierInput(input, fn));
        } catch (thrown) {
          throw asInputError(thrown, fn);
        }
      },
    };
  }
  return {
    name: verifier.name,
    verify: (input) => readingCaller(fn, () => verifier.verify(readVerifierInput(input, fn))),
  };
}

/**
 * Flags an answer cut off at the length limit (`finishReason: 'length'`).
 * @throws ValidationError when `penalty` is not a number from 0 to 1 (or an unknown option is given).
 */
export function createTruncationVerifier(options: { penalty?: number } = {}): Verifier {
  return checked(truncation(checkOptions(schemas.truncation, options, 'createTruncationVerifier')));
}

/**
 * Parses the answer when the request asked for JSON (`responseFormat.type === 'json'`), bare or in
 * one fenced block, and validates it against the request's schema with ajv.
 * @throws ValidationError when a penalty is not a number from 0 to 1 (or an unknown option is given).
 */
export function createJsonSchemaVerifier(options: JsonSchemaOptions = {}): Verifier {
  return checked(jsonSchema(checkOptions(schemas.jsonSchema, options, 'createJsonSchemaVerifier')));
}

/**
 * Flags code fences that are never closed, json fences that do not parse and code whose brackets
 * do not balance.
 * @throws ValidationError when `penalty` is not a number from 0 to 1 (or an unknown option is given).
 */
export function createFenceVerifier(options: { penalty?: number } = {}): Verifier {
  return checked(fences(checkOptions(schemas.fences, options, 'createFenceVerifier')));
}

/**
 * Recomputes the arithmetic an answer states ("12 × 7 = 84", "so 3 + 4 = 8") and flags each
 * equality that does not hold.
 * @throws ValidationError when `penalty` is not a number from 0 to 1 (or an unknown option is given).
 */
export function createArithmeticVerifier(options: { penalty?: number } = {}): Verifier {
  return checked(arithmetic(checkOptions(schemas.arithmetic, options, 'createArithmeticVerifier')));
}

/**
 * Checks that an answer ends in an answer: one option for a multiple-choice question, a final
 * number that is one of the last computed results for a question that asks for a number.
 * @throws ValidationError when a penalty is not a number from 0 to 1 or `recentResults` not a
 * positive integer (or an unknown option is given).
 */
export function createFinalAnswerVerifier(options: FinalAnswerOptions = {}): Verifier {
  return checked(finalAnswer(checkOptions(schemas.finalAnswer, options, 'createFinalAnswerVerifier')));
}

/**
 * On questions with one right answer, flags worked answers that doubt or abandon their own
 * reasoning ("however", "this doesn't work", "let's try another", "assume").
 * @throws ValidationError when `phrases` is not an array of non-empty strings (at most 1000, each
 * at most 200 characters) or a penalty not a number from 0 to 1 (or an unknown option is given).
 */
export function createSecondGuessingVerifier(options: SecondGuessingOptions = {}): Verifier {
  return checked(
    secondGuessing(checkOptions(schemas.secondGuessing, options, 'createSecondGuessingVerifier')),
  );
}

/**
 * A verifier that asks a model whether the answer is right, through the gateway's judge context,
 * bounded by `timeoutMs`; a timeout, an error or an unreadable verdict costs no confidence.
 * @throws ValidationError when `model` is not a model reference, `timeoutMs` or `maxChars` not a
 * positive integer, `penalty` not a number from 0 to 1, `when` not a function or `clock` not a
 * clock (or an unknown option is given).
 */
export function createLlmJudge(options: LlmJudgeOptions): Verifier {
  return checked(
    llmJudge(checkOptions(schemas.llmJudge, options, 'createLlmJudge') as LlmJudgeOptions),
    true,
  );
}

/**
 * The judge's deterministic verifiers, in the order they run: truncation, json-schema, fences,
 * arithmetic, final-answer, second-guessing; each checks its input.
 */
export function createBuiltInVerifiers(): Verifier[] {
  return builtIn().map((verifier) => checked(verifier));
}
