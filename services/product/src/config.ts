import { z } from 'zod';
import { authConfig, commonConfig, flag } from '@cartwheel/kit';

/** The product service's settings (README "Configuration"); loaded once, in `start`. */
export const productConfig = commonConfig.extend({
  ...authConfig.shape,
  /** MongoDB (or FerretDB) URL; the path names the database (default `cartwheel`). Unset → embedded store. */
  MONGO_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// URL')
      .optional(),
  ),
  /** ISO 4217 code of every catalog price. */
  CATALOG_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD')
    .default('USD'),
  /** Seed demo products when the catalog has never held one. */
  CARTWHEEL_DEMO_DATA: flag(true),
});

export type ProductConfig = z.output<typeof productConfig>;
