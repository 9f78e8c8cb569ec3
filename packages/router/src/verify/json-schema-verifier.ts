import { readOptions } from '@forge1/core';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseJsonBody } from './prose.js';
import type { Verifier } from './verifier.js';

/** Options of {@link createJsonSchemaVerifier}. */
export interface JsonSchemaOptions {
  /** Penalty for an answer that is not JSON where JSON was asked for. @default 0.7 */
  invalidPenalty?: number;
  /** Penalty for JSON that does not match the request's schema. @default 0.5 */
  schemaPenalty?: number;
}

/**
 * Parses the answer when the request asked for JSON (`responseFormat.type === 'json'`), bare or in
 * one fenced block, and validates it against the request's schema with ajv. Validators are compiled
 * once per schema object.
 */
export function createJsonSchemaVerifier(input: JsonSchemaOptions = {}): Verifier {
  const options = readOptions(input, 'createJsonSchemaVerifier');
  const invalid = options.invalidPenalty ?? 0.7;
  const mismatch = options.schemaPenalty ?? 0.5;
  let ajv: Ajv | undefined;
  const compiled = new WeakMap<object, ValidateFunction | string>();
  const validatorFor = (schema: Record<string, unknown>): ValidateFunction | string => {
    let validator = compiled.get(schema);
    if (validator === undefined) {
      ajv ??= new Ajv({ strict: false, allErrors: false, validateFormats: false });
      try {
        validator = ajv.compile(schema);
      } catch (error) {
        validator = error instanceof Error ? error.message : String(error);
      }
      compiled.set(schema, validator);
    }
    return validator;
  };
  return {
    name: 'json-schema',
    verify({ result, request }) {
      const format = request.responseFormat;
      if (format?.type !== 'json' || result.toolCalls.length > 0) return undefined;
      const value = parseJsonBody(result.text);
      if (value === undefined) return { penalty: invalid, reason: 'invalid JSON where JSON was asked for' };
      if (!format.schema) return undefined;
      const validator = validatorFor(format.schema);
      // A schema ajv cannot compile is the host's mistake, not the answer's: noted, not penalised.
      if (typeof validator === 'string') return { penalty: 0, reason: `schema not compiled (${validator})` };
      if (validator(value)) return undefined;
      const error = validator.errors?.[0];
      const where = error?.instancePath ? error.instancePath : '(root)';
      const detail =
        error?.params && 'missingProperty' in error.params
          ? `misses required ${String(error.params.missingProperty)}`
          : `${where} ${error?.message ?? 'does not match'}`;
      return { penalty: mismatch, reason: `JSON ${detail}` };
    },
  };
}
