import { decimalsOf, evaluateExpression, hasOperation } from './expression.js';

/** An equality an answer states between two arithmetic expressions, both evaluated. */
export interface StatedEquality {
  left: string;
  right: string;
  /** Value of the left side, recomputed. */
  actual: number;
  /** Value the right side states. */
  stated: number;
  /** Whether the statement holds, within the rounding its written decimals allow. */
  holds: boolean;
}

const runChars = /[0-9.\s+\-*/^()%]/;
const identifier = /[A-Za-z_\\'"]/;
const modular = /\bmod(?:ulo)?\b|\\pmod|\\equiv|≡/i;
const retraction = /\b(?:not|invalid|incorrect|false|wrong|impossible|contradiction)\b|≠|\\neq/i;

function balance(text: string): number {
  let depth = 0;
  for (const char of text) {
    if (char === '(') depth++;
    else if (char === ')') depth--;
  }
  return depth;
}

// Words after which a number is an argument, not the start of an expression ("\\log 1 = 0").
const functionWord = /(?:\\[A-Za-z]+|\b(?:log|ln|sin|cos|tan|exp|sqrt|mod))\s*$/;

/** The arithmetic run that ends at `end` (exclusive), trimmed to something that can start an expression. */
function leftRun(text: string, end: number): string | undefined {
  let start = end;
  while (start > 0 && runChars.test(text[start - 1]!) && text[start - 1] !== '\n') start--;
  let run = text.slice(start, end);
  const leading = run.length - run.trimStart().length;
  const before = start > 0 ? text[start - 1]! : '\n';
  // "2x + 3 = 7", "f(3) = 9", "\\sqrt[5]{16} = 2": an expression glued to something else is not arithmetic.
  if (leading === 0 && !/[\s:;,=]/.test(before)) return undefined;
  if (functionWord.test(text.slice(Math.max(0, start - 12), start))) return undefined;
  run = run.trim();
  // A dash opening a line is a bullet; an operator anywhere else continues algebra before the run.
  if (before === '\n' && /^[-*]\s/.test(run)) run = run.slice(2).trimStart();
  while (run.startsWith('(') && balance(run) > 0) run = run.slice(1).trimStart();
  return /^(?:[\d.(]|-\d)/.test(run) ? run : undefined;
}

/** The arithmetic run that starts at `start`, trimmed of sentence punctuation and unmatched parentheses. */
function rightRun(text: string, start: number): { run: string; end: number } | undefined {
  let end = start;
  while (end < text.length && runChars.test(text[end]!) && text[end] !== '\n') end++;
  let run = text.slice(start, end).trim();
  if (end < text.length && identifier.test(text[end]!) && !/\s$/.test(text.slice(start, end)))
    return undefined;
  // "= (4/3) \\pi r^3", "= 15 + 3 x": the expression goes on past the run.
  if (/^\s*(?:[\\π√^]|[A-Za-z](?![A-Za-z]))/.test(text.slice(end, end + 3))) return undefined;
  run = run.replace(/[.\s]+$/, '');
  while (run.endsWith(')') && balance(run) < 0) run = run.slice(0, -1).trimEnd();
  return /^(?:[\d.(]|-\d)/.test(run) ? { run, end } : undefined;
}

function agrees(actual: number, stated: number, decimals: number, approximate: boolean): boolean {
  const scale = Math.max(1, Math.abs(actual));
  if (Math.abs(actual - stated) <= 1e-9 * scale) return true;
  if (approximate) return Math.abs(actual - stated) <= 0.01 * scale + 0.5 * 10 ** -decimals;
  // A value written with k decimals may round or truncate a longer one.
  const factor = 10 ** decimals;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return (
    close(Math.round(actual * factor) / factor, stated) || close(Math.trunc(actual * factor) / factor, stated)
  );
}

/**
 * False when an answer cannot state an equality: it has no `=` or `≈`, nor a backslash by which a
 * JSON escape could write one. Most answers have none, and then the answer is not normalised at all.
 */
export function mayStateEquality(answer: string): boolean {
  return answer.includes('=') || answer.includes('≈') || answer.includes('\\');
}

/**
 * Every equality between two arithmetic expressions an answer states ("12 * 7 = 84",
 * "3 + 4 = 8", chains "a = b = c" pair by pair), in normalised text (see `normaliseArithmetic`),
 * with its recomputed value. Algebra, prose and code never evaluate, so they yield nothing.
 */
export function statedEqualities(text: string): StatedEquality[] {
  const found: StatedEquality[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char !== '=' && char !== '≈') continue;
    const before = text[index - 1];
    const after = text[index + 1];
    if (
      char === '=' &&
      (before === '=' || before === '<' || before === '>' || before === '!' || after === '=' || after === '>')
    )
      continue;
    const left = leftRun(text, index);
    const right = left === undefined ? undefined : rightRun(text, index + 1);
    if (left === undefined || right === undefined) continue;
    if (!hasOperation(left) && !hasOperation(right.run)) continue;
    if (/%/.test(left + right.run) && /[\d)]\s*[-+]\s*[\d(]/.test(left + right.run)) continue;
    const actual = evaluateExpression(left);
    const stated = evaluateExpression(right.run);
    if (actual === undefined || stated === undefined) continue;
    // Near a retraction ("24 = 2 * 14 (not valid)") the statement is a rejected candidate.
    if (retraction.test(text.slice(right.end, right.end + 40))) continue;
    // Congruences ("3 + 5 = 1 (mod 7)") are not equalities of numbers.
    if (modular.test(text.slice(Math.max(0, index - 80), right.end + 40))) continue;
    const decimals = decimalsOf(right.run);
    // Operands rounded to four or more decimals carry their rounding into the result.
    const approximate = char === '≈' || /\.\d{4,}/.test(left);
    let holds = agrees(actual, stated, decimals, approximate);
    // "75%" may state a ratio as a percentage.
    if (!holds && right.run.endsWith('%')) holds = agrees(actual, stated * 100, decimals, approximate);
    // A running total written on ("3 * 4 = 12 + 1 = 13") continues from the left value.
    if (!holds && hasOperation(right.run)) {
      const head = evaluateExpression(/^[\d.]+/.exec(right.run)?.[0] ?? '');
      if (head !== undefined && agrees(actual, head, decimalsOf(String(head)), approximate)) continue;
    }
    found.push({ left, right: right.run, actual, stated, holds });
  }
  return found;
}
