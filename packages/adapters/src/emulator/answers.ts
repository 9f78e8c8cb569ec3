import { capabilityOf, estimateDifficulty, tierOf } from './difficulty.js';
import { type EmulatorRequest, type EmulatorTool, tokensOf, toolNamedIn } from './emulator-request.js';
import { valueFromSchema } from './json-from-schema.js';
import { createRandom, hashString, pick, type Random } from './random.js';

/** A tool call the emulator decided to make. */
export interface AnswerToolCall {
  /** Deterministic suffix for the provider's call id. */
  id: string;
  name: string;
  /** The arguments as a JSON text. */
  arguments: string;
  args: unknown;
}

/** The emulator's answer to a request, before wire formatting. */
export interface Answer {
  text: string;
  toolCalls: AnswerToolCall[];
  finish: 'stop' | 'length' | 'stop_sequence' | 'tool_calls';
  stopSequence?: string;
  outputTokens: number;
  /** Thinking tokens spent before the answer (billed as output, not part of `outputTokens`). */
  reasoningTokens: number;
  /** Whether the answer hedges (a model out of its depth). */
  hedged: boolean;
}

const stopWords = new Set(
  'about above after again against because before being below between could does doing during each further having here itself just more most other ought ourselves should some such than that their theirs them themselves then there these they this those through under until very what when where which while whom with would your yours yourself please tell explain give write describe analyse analyze analysis compare design troubleshoot debug evaluate summarise summarize review identify'.split(
    ' ',
  ),
);

function topicsOf(text: string): string[] {
  const found: string[] = [];
  for (const word of text.toLowerCase().match(/[a-z][a-z-]{4,}/g) ?? []) {
    if (!stopWords.has(word) && !found.includes(word)) found.push(word);
    if (found.length === 4) break;
  }
  return found.length > 0 ? found : ['your question'];
}

const fillers = [
  'the configuration',
  'the data flow',
  'the error budget',
  'the main constraint',
  'the baseline',
  'the owners',
];
const confidentSentences = [
  'The short answer is that {a} depends mostly on {b}.',
  'Start by checking {a}, then confirm that {b} behaves as expected.',
  'In practice, {a} works best when {b} is kept simple and measured.',
  'A common mistake is to change {a} before understanding {b}.',
  'The evidence points to {a} as the main factor, with {b} as a secondary one.',
  'Document the decision about {a} so that {b} can be reviewed later.',
  'Compare the current {a} against the baseline before touching {b}.',
  'Once {a} is stable, roll the change out to {b} in small steps.',
];
const hedges = [
  "I'm not sure, but it might be related to {a}.",
  "I'm not certain; it could have something to do with {a}.",
  "It's hard to say, but possibly {a} is involved.",
];
const hedgeFollowUps = [
  'Could you share more details about {b}?',
  'Can you tell me more about {b}?',
  'Maybe check {b} as well.',
  'It may also depend on {b}.',
];

function fill(template: string, random: Random, topics: readonly string[]): string {
  const topic = () => (random() < 0.7 ? pick(random, topics) : pick(random, fillers));
  return template.replace('{a}', topic()).replace('{b}', topic());
}

function confidentText(random: Random, topics: readonly string[], difficulty: number): string {
  const targetWords = Math.round((25 + difficulty * 220) * (0.9 + random() * 0.2));
  const lead = `Here is a clear answer about ${topics[0]}.`;
  const parts = [lead];
  let wordCount = lead.split(' ').length;
  let step = 1;
  while (wordCount < targetWords) {
    const sentence = fill(pick(random, confidentSentences), random, topics);
    parts.push(difficulty >= 0.5 ? `\n${step++}. ${sentence}` : ` ${sentence}`);
    wordCount += sentence.split(' ').length;
  }
  return parts.join('');
}

function hedgedText(random: Random, topics: readonly string[]): string {
  return `${fill(pick(random, hedges), random, topics)} ${fill(pick(random, hedgeFollowUps), random, topics)}`;
}

/** Options of {@link createAnswerEngine}. */
export interface AnswerEngineOptions {
  seed: number;
  /** Answers remembered by prompt, for speed. @default 2000 */
  cacheSize?: number;
}

/** Deterministic answers: same (prompt, model, seed), same answer. */
export interface AnswerEngine {
  answer(request: EmulatorRequest): Answer;
}

/** Whether the request gets a tool call rather than text, and which tool. */
function chooseTool(request: EmulatorRequest): EmulatorTool | undefined {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice === 'none' || request.afterToolResult) return undefined;
  if (typeof toolChoice === 'object') return tools.find((tool) => tool.name === toolChoice.name) ?? tools[0];
  const named = toolNamedIn(request.lastUserText, tools);
  if (named) return named;
  return toolChoice === 'required' ? tools[0] : undefined;
}

/**
 * Creates the answer engine. The text depends only on the prompt (system prompt and last
 * user turn), the model and the seed: the model's tier against the prompt's difficulty decides
 * between a confident answer (longer for harder prompts) and a short hedged one.
 */
export function createAnswerEngine(options: AnswerEngineOptions): AnswerEngine {
  const cacheSize = options.cacheSize ?? 2000;
  const cache = new Map<string, { text: string; hedged: boolean }>();

  const baseText = (request: EmulatorRequest) => {
    const cacheKey = `${request.model}\u0000${request.system}\u0000${request.lastUserText}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const random = createRandom(hashString(cacheKey, options.seed));
    const prompt = `${request.system}\n${request.lastUserText}`;
    const difficulty = estimateDifficulty(prompt);
    const topics = topicsOf(request.lastUserText || request.system);
    const hedged = difficulty > capabilityOf[tierOf(request.model)];
    const text = hedged ? hedgedText(random, topics) : confidentText(random, topics, difficulty);
    if (cache.size >= cacheSize) cache.clear();
    const entry = { text, hedged };
    cache.set(cacheKey, entry);
    return entry;
  };

  return {
    answer: (request) => withReasoning(request, answerOf(request)),
  };

  function answerOf(request: EmulatorRequest): Answer {
    const tool = chooseTool(request);
    const seedText = `${request.model}\u0000${request.lastUserText}`;
    if (tool) {
      const random = createRandom(hashString(`${tool.name}\u0000${seedText}`, options.seed));
      const args = valueFromSchema(tool.schema ?? { type: 'object', properties: {} }, random);
      const argumentsText = JSON.stringify(args);
      return {
        text: '',
        toolCalls: [
          {
            id: hashString(seedText, options.seed).toString(36),
            name: tool.name,
            arguments: argumentsText,
            args,
          },
        ],
        finish: 'tool_calls',
        outputTokens: tokensOf(tool.name.length + argumentsText.length),
        reasoningTokens: 0,
        hedged: false,
      };
    }
    const base = baseText(request);
    let text = base.text;
    if (request.json) {
      const random = createRandom(hashString(`json\u0000${seedText}`, options.seed));
      const value = request.json.schema
        ? valueFromSchema(request.json.schema, random)
        : { answer: text, confidence: base.hedged ? 0.3 : 0.9 };
      text = JSON.stringify(value);
    }
    return finish(text, request, base.hedged);
  }
}

const EFFORT_TOKENS: Record<string, number> = { minimal: 64, low: 256, medium: 1024, high: 4096 };

/**
 * The emulator's thinking: with a budget, 256 tokens plus the answer's own, at most the budget
 * (Gemini's budget 0 turns it off); with an effort, a fixed count per level.
 */
function withReasoning(request: EmulatorRequest, answer: Answer): Answer {
  const reasoning = request.reasoning;
  if (!reasoning) return answer;
  const wanted = reasoning.effort ? (EFFORT_TOKENS[reasoning.effort] ?? 1024) : 256 + answer.outputTokens;
  const reasoningTokens = Math.max(0, Math.min(reasoning.budget ?? wanted, wanted));
  return { ...answer, reasoningTokens };
}

/** Applies stop sequences and max tokens to a text answer. */
function finish(fullText: string, request: EmulatorRequest, hedged: boolean): Answer {
  let text = fullText;
  let reason: Answer['finish'] = 'stop';
  let stopSequence: string | undefined;
  let cut = -1;
  for (const sequence of request.stop) {
    const at = text.indexOf(sequence);
    if (at >= 0 && (cut < 0 || at < cut)) {
      cut = at;
      stopSequence = sequence;
    }
  }
  if (cut >= 0) {
    text = text.slice(0, cut);
    reason = 'stop_sequence';
  }
  if (request.maxTokens !== undefined && tokensOf(text.length) > request.maxTokens) {
    text = text.slice(0, request.maxTokens * 4);
    reason = 'length';
    stopSequence = undefined;
  }
  const answer: Answer = {
    text,
    toolCalls: [],
    finish: reason,
    outputTokens: tokensOf(text.length),
    reasoningTokens: 0,
    hedged,
  };
  if (stopSequence !== undefined) answer.stopSequence = stopSequence;
  return answer;
}
