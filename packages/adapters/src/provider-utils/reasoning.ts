import type { ReasoningEffort, ReasoningOptions } from '@forge1/core';

// Effort levels as thinking budgets, and back: Anthropic's 1024-token minimum is `low`.
const BUDGET_OF_EFFORT: Record<ReasoningEffort, number> = { low: 1024, medium: 8192, high: 24_576 };

/** The thinking budget a request asks for: its `budgetTokens`, else its effort's budget. */
export function thinkingBudgetOf(reasoning: ReasoningOptions): number {
  return reasoning.budgetTokens ?? BUDGET_OF_EFFORT[reasoning.effort ?? 'medium'];
}

/** The effort level a request asks for: its `effort`, else the level its budget falls in. */
export function reasoningEffortOf(reasoning: ReasoningOptions): ReasoningEffort {
  if (reasoning.effort) return reasoning.effort;
  const budget = reasoning.budgetTokens ?? BUDGET_OF_EFFORT.medium;
  return budget <= BUDGET_OF_EFFORT.low ? 'low' : budget <= BUDGET_OF_EFFORT.medium ? 'medium' : 'high';
}
