import { z } from 'zod';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const id = () => z.string().regex(ID, { error: 'must be 1–64 letters, digits, "_" or "-"' });

/** A product id as the catalog makes them (a MongoDB ObjectId in hex in practice). */
export const productId = id();
/** An order id as the order service makes them (a UUID in practice). */
export const orderId = id();
