import { evaluateExpression } from './expression.js';
import { lastJsonBlock, normaliseArithmetic } from './prose.js';

/** Whether a letter A to H is followed by `)`, `]`, `.` or `:` somewhere, as every option is. */
function hasOptionMark(text: string): boolean {
  for (let index = 0; index < text.length - 1; index++) {
    const code = text.charCodeAt(index);
    if (code < 65 || code > 72) continue;
    const next = text.charCodeAt(index + 1);
    if (next === 41 || next === 93 || next === 46 || next === 58) return true;
  }
  return false;
}

/** The options of a multiple-choice question ("A) …", "(B) …", "C. …"), or an empty list. */
export function optionLetters(question: string): string[] {
  if (!hasOptionMark(question)) return [];
  const lines = [...question.matchAll(/^\s*[([]?([A-H])[)\].:]\s+\S/gm)].map((match) => match[1]!);
  const inline = [...question.matchAll(/(?:^|\s)\(([A-H])\)\s+\S/g)].map((match) => match[1]!);
  const letters = [...new Set(lines.length >= 2 ? lines : inline)].sort();
  // Options run A, B, C… without gaps; anything else is prose that happens to match.
  return letters.length >= 2 && letters.every((letter, index) => letter.charCodeAt(0) === 65 + index)
    ? letters
    : [];
}

const choicePatterns = [
  /(?:[Aa]nswer|[Oo]ption|[Cc]hoice)\s*(?:is|would be|will be|:|=)\s*(?:\*\*)?\s*(?:[Oo]ption\s+)?[([]?([A-H])(?![A-Za-z])/g,
  /(?:[Cc]hoose|[Pp]ick|[Ss]elect|[Gg]o with)\s+(?:option\s+)?[([]?([A-H])(?![A-Za-z])/g,
  /\\boxed\{\s*(?:\\text\{)?\(?([A-H])\)?\s*\}?\s*\}/g,
  /^\s*(?:\*\*)?[([]?([A-H])(?:[)\].:]|\*\*|\s*$)/gm,
];

/** The option letters an answer chooses, each once, from statements of choice only. */
export function chosenOptions(answer: string, options: readonly string[]): string[] {
  const chosen = new Set<string>();
  for (const pattern of choicePatterns) {
    for (const match of answer.matchAll(pattern)) if (options.includes(match[1]!)) chosen.add(match[1]!);
  }
  return [...chosen].sort();
}

const quantityAsk =
  /\b(?:how (?:many|much|long|far|old|fast)|what (?:is|was|are|were|will)\b[^.?]*\b(?:total|sum|product|difference|value|number|cost|price|area|perimeter|volume|average|mean|probability|remainder|percent(?:age)?|ratio)|calculate|compute|find (?:the|all|how)|solve|evaluate|determine the)\b/i;

/** Whether a question asks for a number: a maths or word problem with figures in it. */
export function asksForNumber(question: string): boolean {
  return /\d/.test(question) && quantityAsk.test(question);
}

/** The value of a final answer written as a number or arithmetic ("42", "3/4", "\\frac{3}{4}", "$1,200"). */
export function numberIn(source: string): number | undefined {
  const normalised = (normaliseArithmetic(source).split('=').at(-1) ?? '').trim().replace(/[.\s]+$/, '');
  const whole = evaluateExpression(normalised);
  if (whole !== undefined) return whole;
  const only = /^[^\d]{0,12}?(-?\d+(?:\.\d+)?)[^\d]{0,24}$/.exec(normalised);
  return only ? Number(only[1]) : undefined;
}

/** A final answer: its text (boxed, after ####, a JSON `answer`, "the answer is …", the last line) and its value when numeric. */
export interface FinalAnswer {
  text: string;
  value: number | undefined;
  /** Whether the answer marks it (boxed, ####, JSON field, "answer is"), rather than ending on it. */
  marked: boolean;
}

/** The answer's final answer, or undefined when it has none. */
export function finalAnswer(answer: string): FinalAnswer | undefined {
  const marked = (text: string): FinalAnswer | undefined =>
    text.trim().length > 0 ? { text: text.trim(), value: numberIn(text), marked: true } : undefined;
  const json = lastJsonBlock(answer);
  if (typeof json === 'object' && json !== null && 'answer' in json) {
    const value = (json as { answer: unknown }).answer;
    return typeof value === 'number'
      ? { text: String(value), value, marked: true }
      : marked(String(value ?? ''));
  }
  const boxed = [...answer.matchAll(/\\boxed\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}/g)].at(-1);
  if (boxed) return marked(boxed[1]!);
  const hashes = /####\s*([^\n]+)/.exec(answer);
  if (hashes) return marked(hashes[1]!);
  const stated = [
    ...answer.matchAll(
      /(?:final answer|the answer|answer)\s*(?:is|would be|will be|:|=)[ \t]*(?:\*\*)?[ \t]*(?:approximately\s+)?([^\n*]*\S)/gi,
    ),
  ].at(-1);
  if (stated) return marked(stated[1]!);
  const lines = answer.split('\n').filter((line) => line.trim().length > 0);
  const numbers = [...normaliseArithmetic(lines.at(-1) ?? '').matchAll(/-?\d+(?:\.\d+)?/g)];
  if (numbers.length === 0) return undefined;
  return { text: numbers.at(-1)![0], value: Number(numbers.at(-1)![0]), marked: false };
}
