import type { OutboxStore } from '@cartwheel/kit';
import type { CatalogRepository, OutboxClaim, OutboxEntry } from './catalog.repository.js';

/** The metric label (`table`) of the catalog's outbox. */
export const CATALOG_OUTBOX = 'products.outbox';

type ClaimedEntry = OutboxEntry & { productId: string };

const errorText = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);

/**
 * The catalog's per-product outboxes as an `OutboxStore`, so the kit's relay (one loop, backoff
 * and metrics for every service) publishes them. A round leases products with pending events,
 * publishes their events in array order (per-key order), then removes exactly the acknowledged
 * ones and ends the lease; events written meanwhile stay for the next round. A relay that dies
 * mid-round loses nothing: its lease expires after `leaseMs` and another round takes over.
 *
 * @example startOutboxRelay({ store: catalogOutboxStore(catalog), bus, registry });
 */
export function catalogOutboxStore(catalog: CatalogRepository, leaseMs = 30_000): OutboxStore<ClaimedEntry> {
  return {
    name: CATALOG_OUTBOX,
    async round(limit, publish) {
      const claims = await catalog.claimOutbox(limit, leaseMs);
      const messages = claims.flatMap((claim) =>
        claim.entries.map((entry) => ({ ...entry, productId: claim.productId })),
      );
      let outcome;
      try {
        outcome = await publish(messages);
      } finally {
        const acked = new Set(outcome?.acked.map((message) => message.id));
        await Promise.all(
          claims.map((claim: OutboxClaim) =>
            catalog.releaseOutbox(
              claim,
              claim.entries.filter((entry) => acked.has(entry.id)),
            ),
          ),
        );
      }
      return { ...outcome, claimed: messages.length };
    },
    async recordFailure(messages, error) {
      await catalog.recordOutboxFailure([...new Set(messages.map((m) => m.productId))], errorText(error));
    },
    countUnpublished: async () => (await catalog.outboxBacklog()).count,
    backlog: () => catalog.outboxBacklog(),
  };
}
