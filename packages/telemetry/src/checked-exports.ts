// The public, checked versions of helpers the middleware also calls on every request with values
// it read itself. The package index exports these under the helpers' own names.
import { expectString } from '@forge1/core';
import { genAiProviderName as genAiProviderNameUnchecked } from './attributes.js';
import { redactCredentials as redactCredentialsUnchecked } from './content.js';

/**
 * The GenAI conventions' `gen_ai.provider.name` of a Forge1 provider name (`google` →
 * `gcp.gemini`); other names pass through.
 * @throws ValidationError when `provider` is not a string.
 */
export function genAiProviderName(provider: string): string {
  expectString(provider, 'genAiProviderName', 'provider');
  return genAiProviderNameUnchecked(provider);
}

/**
 * Masks API keys, bearer tokens and other credentials in a text.
 * @throws ValidationError when `text` is not a string.
 */
export function redactCredentials(text: string): string {
  expectString(text, 'redactCredentials', 'text');
  return redactCredentialsUnchecked(text);
}
