import { AppError, type FieldError } from '@cartwheel/kit';
import { fromCents, toCents } from './money.js';
import type { OrderLine } from './order.js';
import type { CatalogProduct } from './ports.js';

/** One requested line: the client may state the price it saw, which must still be the catalog's. */
export interface RequestedItem {
  product_id: string;
  quantity: number;
  price?: number;
}

const itemPath = (index: number, field: keyof RequestedItem) => `items.${index}.${field}`;

function unprocessable(code: string, errors: FieldError[]): AppError {
  return new AppError(code, 422, 'Unprocessable Content', {
    detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
  });
}

/**
 * Prices the requested items from the catalog (DESIGN §8 step 1): 422 naming every product the
 * catalog does not have (unknown or deleted), 422 when the products are not all priced in one
 * currency, and 409 with the current prices when a price the client sent is not the catalog's.
 *
 * @example const { lines, currency } = priceLines(body.items, await catalog.findProducts(ids));
 */
export function priceLines(
  items: RequestedItem[],
  products: CatalogProduct[],
): { lines: OrderLine[]; currency: string } {
  const byId = new Map(products.map((product) => [product.product_id, product]));
  const unknown = items.flatMap((item, index) =>
    byId.has(item.product_id)
      ? []
      : [{ path: itemPath(index, 'product_id'), message: `no product ${item.product_id} in the catalog` }],
  );
  if (unknown.length > 0) throw unprocessable('unknown_product', unknown);

  const found = items.map((item) => byId.get(item.product_id) as CatalogProduct);
  const currency = found[0].currency;
  const otherCurrency = found.flatMap((product, index) =>
    product.currency === currency
      ? []
      : [{ path: itemPath(index, 'product_id'), message: `priced in ${product.currency}, not ${currency}` }],
  );
  if (otherCurrency.length > 0) throw unprocessable('mixed_currency', otherCurrency);

  const changed = items.flatMap((item, index) => {
    const current = found[index].price_cents;
    if (item.price === undefined || toCents(item.price) === current) return [];
    return [{ index, product_id: item.product_id, price: item.price, current_price: fromCents(current) }];
  });
  if (changed.length > 0) {
    throw new AppError('price_changed', 409, 'Conflict', {
      detail: `The price changed: ${changed.map((c) => `${c.product_id} now costs ${c.current_price}`).join(', ')}`,
      errors: changed.map((c) => ({
        path: itemPath(c.index, 'price'),
        message: `the current price is ${c.current_price}, not ${c.price}`,
      })),
      extensions: {
        items: changed.map(({ product_id, price, current_price }) => ({ product_id, price, current_price })),
      },
    });
  }
  return {
    currency,
    lines: items.map((item, index) => ({
      product_id: item.product_id,
      name: found[index].name,
      quantity: item.quantity,
      unit_price_cents: found[index].price_cents,
    })),
  };
}
