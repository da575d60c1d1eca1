/**
 * The language model as the domain sees it: the Messages API's shapes, reduced to the blocks this
 * service sends and reads (text, tool use, tool results). The adapter passes them to the SDK as
 * they are, so the domain never imports the SDK.
 */
export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}

export interface ModelMessage {
  role: 'user' | 'assistant';
  content: string | Array<TextBlock | ToolUseBlock | ToolResultBlock>;
}

/** A system prompt block; the last one carries `cache_control` so tools and system are cached together. */
export interface SystemBlock {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral' };
}

export interface ToolSpec {
  name: string;
  description: string;
  input_schema: { type: 'object'; [keyword: string]: unknown };
}

export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'tool'; name: string };

export interface ModelRequest {
  system: SystemBlock[];
  messages: ModelMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
}

export interface ModelReply {
  content: Array<TextBlock | ToolUseBlock>;
  stopReason: string | null;
}

/** A provider of model turns (the Anthropic adapter; tests point it at a fake Messages API). */
export interface LanguageModel {
  /**
   * One model turn. Must settle by `deadline` (epoch ms). Rejects with a `ModelFailure` whose
   * reason is `timeout`, `breaker_open` or `provider_error`.
   */
  complete(request: ModelRequest, deadline: number): Promise<ModelReply>;
}

/** Why an answer came from the fallback instead of the model. */
export type FallbackReason =
  | 'no_key'
  | 'timeout'
  | 'breaker_open'
  | 'provider_error'
  | 'invalid_output'
  | 'ungrounded_reply'
  | 'no_answer'
  | 'no_candidates';

/** Thrown on the model path when its answer cannot be used; the caller answers from the fallback. */
export class ModelFailure extends Error {
  constructor(
    readonly reason: FallbackReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelFailure';
  }
}

export function textOf(reply: ModelReply): string {
  return reply.content
    .filter((block): block is TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
    .trim();
}

export function toolUsesOf(reply: ModelReply): ToolUseBlock[] {
  return reply.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
}

type SafeParse<T> = (
  input: unknown,
) => { success: true; data: T } | { success: false; error: { message: string } };

/** A request for structured output: one user turn, one tool the model must call. */
export interface StructuredRequest<T> {
  system: SystemBlock[];
  /** The only user turn: the shopper's text, or data as JSON. */
  content: string;
  tool: ToolSpec;
  /** Validates the tool input (a zod schema's `safeParse`). */
  parse: SafeParse<T>;
}

/**
 * Structured output through a forced tool call (the most reliable way to get JSON from the
 * model): the tool's input, validated; no call, or an input that fails validation, is
 * `invalid_output`.
 */
export async function structuredOutput<T>(
  model: LanguageModel,
  deadline: number,
  request: StructuredRequest<T>,
): Promise<T> {
  const { tool } = request;
  const reply = await model.complete(
    {
      system: request.system,
      messages: [{ role: 'user', content: request.content }],
      tools: [tool],
      toolChoice: { type: 'tool', name: tool.name },
    },
    deadline,
  );
  const use = toolUsesOf(reply).find((block) => block.name === tool.name);
  if (!use) throw new ModelFailure('invalid_output', `the model did not call ${tool.name}`);
  const parsed = request.parse(use.input);
  if (!parsed.success) {
    throw new ModelFailure(
      'invalid_output',
      `the model's ${tool.name} input is invalid: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
