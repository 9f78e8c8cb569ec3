import { readOptions } from '@forge1/core';
import type { Verifier } from './verifier.js';

const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** How a language writes comments and strings, for {@link bracketsBalance}. */
export interface CodeSyntax {
  /** `#` starts a comment (Python, Ruby, R…). */
  hashComments: boolean;
  /** `'` quotes a string (not a Rust lifetime). */
  singleQuotes: boolean;
}

/** Whether brackets balance outside strings and comments: a cheap parse check for code in any C-like or scripting language. */
export function bracketsBalance(code: string, syntax: CodeSyntax): boolean {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let index = 0; index < code.length; index++) {
    const char = code[index]!;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote || (char === '\n' && quote !== '`')) quote = undefined;
      continue;
    }
    if (char === '"' || char === '`' || (char === "'" && syntax.singleQuotes)) quote = char;
    else if ((char === '#' && syntax.hashComments) || (char === '/' && code[index + 1] === '/')) {
      while (index < code.length && code[index] !== '\n') index++;
    } else if (char === '/' && code[index + 1] === '*') {
      const end = code.indexOf('*/', index + 2);
      index = end < 0 ? code.length : end + 1;
    } else if (char === '(' || char === '[' || char === '{') stack.push(char);
    else if (char in pairs) {
      if (stack.pop() !== pairs[char]) return false;
    }
  }
  return stack.length === 0;
}

const hashLanguages =
  /^(?:python|py|ruby|rb|r|perl|pl|julia|jl|elixir|ex|exs|nim|powershell|ps1|coffee|makefile|dockerfile|gdscript)$/;
// Languages where brackets may legitimately stay open (prose, shells, markup, data).
const unchecked =
  /^(?:text|txt|plain|markdown|md|diff|patch|bash|sh|shell|zsh|console|output|log|csv|yaml|yml|toml|ini|html|xml|svg|css|scss|latex|tex)$/i;

/**
 * Flags fenced blocks that do not parse: a `json` fence that `JSON.parse` rejects, a code fence
 * whose brackets do not balance, or a fence that is opened and never closed (a cut-off answer).
 */
export function createFenceVerifier(input: { penalty?: number } = {}): Verifier {
  const options = readOptions(input, 'createFenceVerifier');
  const penalty = options.penalty ?? 0.4;
  return {
    name: 'fences',
    verify({ result }) {
      const text = result.text;
      if (!text.includes('```')) return undefined;
      const fences = text.match(/^[ \t]*```/gm)?.length ?? 0;
      if (fences % 2 === 1) return { penalty, reason: 'a code fence is never closed' };
      for (const block of text.matchAll(/^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)^[ \t]*```/gm)) {
        const language = block[1]!.toLowerCase();
        const body = block[2]!;
        if (language === 'json' || language === 'jsonc' || language === 'json5') {
          if (language !== 'json') continue;
          try {
            JSON.parse(body);
          } catch {
            return { penalty, reason: 'a json fence does not parse' };
          }
        } else if (
          language !== '' &&
          !unchecked.test(language) &&
          !bracketsBalance(body, {
            hashComments: hashLanguages.test(language),
            singleQuotes: language !== 'rust' && language !== 'rs',
          })
        ) {
          return { penalty, reason: `a ${language} fence has unbalanced brackets` };
        }
      }
      return undefined;
    },
  };
}
