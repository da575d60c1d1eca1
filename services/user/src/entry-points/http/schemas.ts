import { z } from 'zod';
import { passwordProblems } from '../../domain/password-policy.js';

const required = (kind: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${kind}`;

/**
 * Text stored verbatim (no trimming: what was sent is what is kept), bounded, never blank, and
 * never holding NUL — PostgreSQL text cannot store it, so it must be a 400, not a 500.
 */
export const text = (max: number) =>
  z
    .string({ error: required('a string') })
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine((value) => value.trim() !== '', 'must not be blank');

/** Optional text that may also be sent as null to clear it. */
export const optionalText = (max: number) => text(max).nullable().optional();

/** Surrounding spaces are dropped (a normalisation, like lower-casing later); the rest must be an address. */
export const email = z
  .string({ error: required('a string') })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const password = z.string({ error: required('a string') }).superRefine((value, ctx) => {
  for (const message of passwordProblems(value)) ctx.addIssue({ code: 'custom', message });
});

/**
 * An object schema that refuses unknown fields one by one (`errors[].path` names each), unlike
 * zod's strict objects, which report them together at the object's path.
 */
export function strictBody<S extends z.ZodRawShape>(shape: S, readOnly: string[] = []) {
  return z
    .looseObject(shape)
    .superRefine(
      (value, ctx) => {
        if (typeof value !== 'object' || value === null) return;
        for (const key of Object.keys(value)) {
          if (key in shape) continue;
          const message = readOnly.includes(key) ? 'is read-only' : 'is not a known field';
          ctx.addIssue({ code: 'custom', path: [key], message });
        }
      },
      // Also when known fields are bad, so one answer names every problem.
      { when: () => true },
    )
    .transform((value) => {
      const known: Record<string, unknown> = {};
      for (const key of Object.keys(shape)) if (value[key] !== undefined) known[key] = value[key];
      return known as z.output<z.ZodObject<S>>;
    });
}

/** At least one field must be sent, so an empty PATCH is a client bug made visible. */
export const notEmpty = <T extends object>(value: T) => Object.keys(value).length > 0;

/** `limit` (default 20, max 100) and `offset` (DESIGN §6). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A numeric path id; anything else matches no record (404, like an unknown id). */
export const idParams = z.object({ id: z.string() });

export function parseId(raw: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}

export const addressSchema = z.object({
  id: z.number().int(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  state: z.string().nullable(),
  postal_code: z.string(),
  country: z.string(),
  is_default: z.boolean(),
});

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  phone: z.string().nullable(),
  role: z.enum(['user', 'admin']),
  is_active: z.boolean(),
  created_at: z.string(),
  addresses: z.array(addressSchema),
});
