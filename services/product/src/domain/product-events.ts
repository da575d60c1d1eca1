import { createEvent, type CloudEvent } from '@cartwheel/kit';
import type { ProductView } from './product.js';

/** `source` of every event the catalog publishes. */
export const EVENT_SOURCE = '/services/product';

/** product.created: the product as the API returns it, with its initial quantity. */
export const productCreated = (product: ProductView): CloudEvent<ProductView> =>
  createEvent({ source: EVENT_SOURCE, type: 'product.created', subject: product._id, data: product });

/** product.updated: only the fields that changed, with their new values. */
export const productUpdated = (id: string, changes: Record<string, unknown>, updatedAt: Date): CloudEvent =>
  createEvent({
    source: EVENT_SOURCE,
    type: 'product.updated',
    subject: id,
    data: { _id: id, changes, updated_at: updatedAt.toISOString() },
    time: updatedAt,
  });

export const productDeleted = (id: string, deletedAt: Date): CloudEvent =>
  createEvent({
    source: EVENT_SOURCE,
    type: 'product.deleted',
    subject: id,
    data: { _id: id, deleted_at: deletedAt.toISOString() },
    time: deletedAt,
  });
