import type { HttpClient, HttpResponse } from '@cartwheel/kit';
import type { Stock } from '../domain/ports.js';
import { passOn, unavailableAs, unexpectedAnswer } from './upstream.js';

/**
 * The inventory service's reservations. Every call is idempotent per order id on inventory's
 * side, so the kit client may retry them (`idempotent: true`) like GETs.
 */
export function inventoryClient(http: HttpClient): Stock {
  const call = (path: string, body: unknown): Promise<HttpResponse> =>
    unavailableAs('inventory', () => http.post(`/api/v1/inventory/${path}`, body, { idempotent: true }));

  return {
    async reserve(orderId, items) {
      const response = await call('reserve', { order_id: orderId, items });
      if (response.status === 200 || response.status === 201) return;
      // 409 shortfall / discontinued (its per-item detail), 422 a product without stock record.
      if (response.status === 409 || response.status === 422) throw passOn(response);
      throw unexpectedAnswer('inventory', response);
    },
    async release(orderId) {
      const response = await call('release', { order_id: orderId });
      // 404: nothing was ever reserved under this id, so there is nothing to give back.
      if (response.status === 200 || response.status === 404) return;
      if (response.status === 409) throw passOn(response);
      throw unexpectedAnswer('inventory', response);
    },
    async commit(orderId) {
      const response = await call('commit', { order_id: orderId });
      if (response.status === 200) return;
      if (response.status === 409 || response.status === 404) throw passOn({ ...response, status: 409 });
      throw unexpectedAnswer('inventory', response);
    },
  };
}
