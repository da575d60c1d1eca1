import { withFallback, type ModelAccess, type Source } from './answer.js';
import { formatMoney, type CatalogReader, type ProductFilters, type StockReader } from './catalog.js';
import { CHAT_TOOLS, runTool, type CitedProduct, type ToolContext } from './chat-tools.js';
import { mentioned, numbersIn, repeatsInstructions, ungroundedAmounts } from './grounding.js';
import {
  ModelFailure,
  textOf,
  toolUsesOf,
  type LanguageModel,
  type ModelMessage,
  type ToolResultBlock,
} from './model.js';
import { findProducts } from './product-search.js';
import { ALL_INSTRUCTIONS, CHAT_INSTRUCTIONS, systemPrompt } from './prompts.js';
import { parseShoppingQuery } from './shopping-query.js';

/** Model turns of one chat answer (each may run tools), the last one without tools. */
export const MAX_MODEL_TURNS = 4;
/** Tool calls run per model turn; more get an error result. */
export const MAX_TOOL_CALLS_PER_TURN = 5;
/** Products the fallback lists. */
const FALLBACK_PRODUCTS = 5;

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  message: string;
  history: ChatTurn[];
}

export interface ChatProduct {
  _id: string;
  name: string;
  price: number;
  currency: string;
}

export interface ChatAnswer {
  reply: string;
  products: ChatProduct[];
}

export interface ChatDeps extends ModelAccess {
  catalog: CatalogReader;
  stock: StockReader;
}

const toChatProduct = (p: CitedProduct): ChatProduct => ({
  _id: p.id,
  name: p.name,
  price: p.price,
  currency: p.currency,
});

/**
 * The conversation sent to the model: the history, then the message, always in user turns (the
 * shopper's words never reach the system prompt). Turns of one role in a row are joined, and a
 * history opening with the assistant loses that turn (the API wants a user turn first).
 */
export function conversation(request: ChatRequest): ModelMessage[] {
  const turns: ChatTurn[] = [...request.history, { role: 'user', content: request.message }];
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const turn of turns) {
    const last = messages[messages.length - 1];
    if (last?.role === turn.role) last.content = `${last.content}\n\n${turn.content}`;
    else if (messages.length > 0 || turn.role === 'user') messages.push({ ...turn });
  }
  return messages;
}

/** Checks a final reply: it must not quote the instructions, and every price in it must come from a tool. */
function groundedAnswer(reply: string, request: ChatRequest, cited: Map<string, CitedProduct>): ChatAnswer {
  if (repeatsInstructions(reply, ALL_INSTRUCTIONS)) {
    throw new ModelFailure('ungrounded_reply', 'the reply repeats the system instructions');
  }
  const shopperText = [request.message, ...request.history.map((turn) => turn.content)].join('\n');
  const prices = [...cited.values()].map((p) => p.price);
  const invented = ungroundedAmounts(reply, prices, numbersIn(shopperText));
  if (invented.length > 0) {
    throw new ModelFailure(
      'ungrounded_reply',
      `the reply states prices no tool returned: ${invented.join(', ')}`,
    );
  }
  return { reply, products: mentioned(reply, cited.values()).map(toChatProduct) };
}

async function modelChat(
  deps: ChatDeps,
  model: LanguageModel,
  deadline: number,
  request: ChatRequest,
): Promise<ChatAnswer> {
  const system = systemPrompt(CHAT_INSTRUCTIONS, await deps.catalog.overview());
  const messages = conversation(request);
  const context: ToolContext = { catalog: deps.catalog, stock: deps.stock, cited: new Map() };
  for (let turn = 1; turn <= MAX_MODEL_TURNS; turn += 1) {
    const last = turn === MAX_MODEL_TURNS;
    const reply = await model.complete(
      { system, messages, tools: CHAT_TOOLS, toolChoice: last ? { type: 'none' } : { type: 'auto' } },
      deadline,
    );
    const uses = toolUsesOf(reply);
    if (uses.length === 0 || last) {
      const text = textOf(reply);
      if (!text)
        throw new ModelFailure('no_answer', `the model gave no text (stop reason ${reply.stopReason})`);
      return groundedAnswer(text, request, context.cited);
    }
    messages.push({ role: 'assistant', content: reply.content });
    const results: ToolResultBlock[] = await Promise.all(
      uses.map((use, index) =>
        index < MAX_TOOL_CALLS_PER_TURN
          ? runTool(use, context)
          : {
              type: 'tool_result' as const,
              tool_use_id: use.id,
              content: `at most ${MAX_TOOL_CALLS_PER_TURN} tool calls per turn`,
              is_error: true,
            },
      ),
    );
    messages.push({ role: 'user', content: results });
  }
  throw new ModelFailure('no_answer', 'the model did not answer within its turns');
}

/** `"wireless headphones" in Audio up to 300`, `Kitchen products from 20`: the filters in words. */
export function describeFilters(filters: ProductFilters): string {
  const what = filters.q
    ? `"${filters.q}"${filters.category ? ` in ${filters.category}` : ''}`
    : filters.category
      ? `${filters.category} products`
      : 'anything';
  const { min_price: min, max_price: max } = filters;
  const price =
    min !== undefined && max !== undefined
      ? ` between ${min} and ${max}`
      : max !== undefined
        ? ` up to ${max}`
        : min !== undefined
          ? ` from ${min}`
          : '';
  return what + price;
}

const FALLBACK_NOTE = 'The AI assistant is not available right now, so this is a plain keyword search.';

async function fallbackChat(deps: ChatDeps, request: ChatRequest): Promise<ChatAnswer> {
  const { categories } = await deps.catalog.overview();
  const known = categories.length > 0 ? ` We carry: ${categories.slice(0, 12).join(', ')}.` : '';
  const filters = parseShoppingQuery(request.message, categories);
  if (Object.keys(filters).length === 0) {
    return {
      reply: `${FALLBACK_NOTE} Tell me a product, a category or a budget such as "under 300".${known}`,
      products: [],
    };
  }
  const found = await findProducts(deps.catalog, filters, { limit: FALLBACK_PRODUCTS, inStock: true });
  if (found.length === 0) {
    return {
      reply: `${FALLBACK_NOTE} Nothing in stock matches ${describeFilters(filters)}.${known}`,
      products: [],
    };
  }
  const lines = found.map((p) => `- ${p.name}: ${formatMoney(p.price, p.currency)} (${p.category})`);
  return {
    reply: [`${FALLBACK_NOTE} In stock, matching ${describeFilters(filters)}:`, ...lines].join('\n'),
    products: found.map(toChatProduct),
  };
}

/**
 * The shopping assistant: the model answers with tools over the live catalog (at most
 * `MAX_MODEL_TURNS` turns); its reply may only cite products and prices the tools returned, and
 * `products` lists only those it names. Without a model, or when it fails, a keyword search answers.
 */
export function chat(deps: ChatDeps, request: ChatRequest): Promise<ChatAnswer & { source: Source }> {
  return withFallback(
    'chat',
    deps,
    (model, deadline) => modelChat(deps, model, deadline, request),
    () => fallbackChat(deps, request),
  );
}
