import { z } from 'zod';

/** Longest message, per the issue; a history turn may quote a longer assistant reply. */
export const MAX_MESSAGE_CHARS = 2_000;
export const MAX_HISTORY_TURNS = 20;
export const MAX_HISTORY_TURN_CHARS = 4_000;
export const MAX_QUERY_CHARS = 500;
export const MAX_RECOMMENDATIONS = 20;

export const chatBody = z.strictObject({
  message: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
  history: z
    .array(
      z.strictObject({
        role: z.enum(['user', 'assistant']),
        content: z.string().trim().min(1).max(MAX_HISTORY_TURN_CHARS),
      }),
    )
    .max(MAX_HISTORY_TURNS)
    .default([]),
});

export const suggestBody = z.strictObject({
  query: z.string().trim().min(1).max(MAX_QUERY_CHARS),
});

export const recommendationsQuery = z.strictObject({
  product_id: z.string().trim().min(1).max(64),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_RECOMMENDATIONS))
    .default(5),
});

const source = z.enum(['model', 'fallback']).meta({
  description:
    '`fallback`: the deterministic answer (no key configured, provider error, timeout or open breaker)',
});

const productSummary = z.object({
  _id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  price: z.number(),
  currency: z.string(),
  quantity: z.number(),
  tags: z.array(z.string()),
  image_url: z.string().nullable(),
});

const filters = z.object({
  q: z.string().optional(),
  category: z.string().optional(),
  min_price: z.number().optional(),
  max_price: z.number().optional(),
});

export const chatAnswer = z.object({
  reply: z.string(),
  products: z.array(z.object({ _id: z.string(), name: z.string(), price: z.number(), currency: z.string() })),
  source,
});

export const recommendationsAnswer = z.object({
  products: z.array(productSummary),
  reason: z.string(),
  source,
});

export const suggestAnswer = z.object({ filters, products: z.array(productSummary), source });
