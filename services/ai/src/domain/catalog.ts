/** A catalog product as the ai service uses it (from the product service's API; money as an amount). */
export interface CatalogProduct {
  id: string;
  name: string;
  description: string;
  category: string;
  price: number;
  currency: string;
  /** Available stock as the catalog last heard it from inventory (may lag; inventory has the last word). */
  quantity: number;
  tags: string[];
  image_url: string | null;
}

/** The filters a shopper's words turn into: the catalog's own list parameters. */
export interface ProductFilters {
  q?: string;
  category?: string;
  min_price?: number;
  max_price?: number;
}

export interface CatalogQuery extends ProductFilters {
  inStock?: boolean;
  limit: number;
}

/** A bounded picture of the catalog for prompts and query parsing: categories and some product names. */
export interface CatalogOverview {
  categories: string[];
  products: Array<Pick<CatalogProduct, 'id' | 'name' | 'category'>>;
}

/** The product service, read-only. Failures reject (the HTTP layer answers 503). */
export interface CatalogReader {
  search(query: CatalogQuery): Promise<CatalogProduct[]>;
  /** undefined when no product has this id. */
  get(id: string): Promise<CatalogProduct | undefined>;
  /** Cached for a short while, so prompts built from it stay identical (prompt caching). */
  overview(): Promise<CatalogOverview>;
}

/** The inventory service's view of one product's stock. */
export interface StockReader {
  /**
   * Units available now: 0 when the product has no stock record or is discontinued; undefined when
   * inventory cannot answer (down, no service token), in which case callers use the catalog quantity.
   */
  available(productId: string): Promise<number | undefined>;
}

/** Stock from inventory, or the catalog's quantity when inventory cannot answer. */
export async function availableStock(stock: StockReader, product: CatalogProduct): Promise<number> {
  return (await stock.available(product.id)) ?? product.quantity;
}

/** What the API shows of a product: the catalog's own field names (`_id`). */
export type ProductSummary = Omit<CatalogProduct, 'id'> & { _id: string };

export function toSummary({ id, ...rest }: CatalogProduct): ProductSummary {
  return { _id: id, ...rest };
}

/** `$249.99`, `249.99 EUR`: how replies and emails print an amount. */
export function formatMoney(amount: number, currency: string): string {
  const fixed = amount.toFixed(2);
  return currency === 'USD' ? `$${fixed}` : `${fixed} ${currency}`;
}
