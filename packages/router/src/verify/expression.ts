/**
 * Evaluates a plain arithmetic expression (numbers, + − × ÷ ^, parentheses, unary minus,
 * percentages) without `eval`. Returns undefined for anything else, so prose never evaluates.
 */
export function evaluateExpression(source: string): number | undefined {
  const tokens = tokenize(source);
  if (!tokens || tokens.length === 0) return undefined;
  let position = 0;
  const peek = () => tokens[position];

  function primary(): number | undefined {
    const token = tokens![position++];
    if (token === undefined) return undefined;
    if (typeof token === 'number') return token;
    if (token === '-') {
      const value = power();
      return value === undefined ? undefined : -value;
    }
    if (token === '+') return power();
    if (token === '(') {
      const value = sum();
      if (tokens![position++] !== ')') return undefined;
      return value;
    }
    return undefined;
  }
  function power(): number | undefined {
    const base = primary();
    if (base === undefined) return undefined;
    if (peek() !== '^') return base;
    position++;
    const exponent = power();
    return exponent === undefined ? undefined : base ** exponent;
  }
  function product(): number | undefined {
    let value = power();
    while (value !== undefined && (peek() === '*' || peek() === '/')) {
      const operator = tokens![position++];
      const right = power();
      if (right === undefined) return undefined;
      value = operator === '*' ? value * right : value / right;
    }
    return value;
  }
  function sum(): number | undefined {
    let value = product();
    while (value !== undefined && (peek() === '+' || peek() === '-')) {
      const operator = tokens![position++];
      const right = product();
      if (right === undefined) return undefined;
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  }

  const value = sum();
  if (position !== tokens.length || value === undefined || !Number.isFinite(value)) return undefined;
  return value;
}

type Token = number | '+' | '-' | '*' | '/' | '^' | '(' | ')';

function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (char === ' ' || char === '\t') {
      index++;
      continue;
    }
    if ((char >= '0' && char <= '9') || char === '.') {
      const match = /^(?:\d+(?:\.\d+)?|\.\d+)/.exec(source.slice(index));
      if (!match) return undefined;
      index += match[0].length;
      let value = Number(match[0]);
      if (source[index] === '%') {
        value /= 100;
        index++;
      }
      // Two numbers in a row ("2023 3 + 4") are prose, not an expression.
      if (typeof tokens.at(-1) === 'number' || tokens.at(-1) === ')') return undefined;
      tokens.push(value);
      continue;
    }
    if ('+-*/^()'.includes(char)) {
      tokens.push(char as Token);
      index++;
      continue;
    }
    return undefined;
  }
  return tokens;
}

/** Whether an expression has at least one binary operator between two numbers. */
export function hasOperation(source: string): boolean {
  return /[\d)%]\s*[-+*/^]\s*[-+(]?\s*[\d.(]/.test(source);
}

/** Decimal places written in a number ("84.50" has 2). */
export function decimalsOf(source: string): number {
  const match = /\.(\d+)\s*%?\s*$/.exec(source.trim());
  return match ? match[1]!.length : 0;
}
