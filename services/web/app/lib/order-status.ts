/** The order service's status machine (services/order README), as the UI offers it. */
export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled';

export const ORDER_STATUSES: OrderStatus[] = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'];

const NEXT: Record<OrderStatus, OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** The legal moves from `status` (what an admin may choose). */
export function nextStatuses(status: OrderStatus): OrderStatus[] {
  return NEXT[status] ?? [];
}

/** Whether the owner may still cancel: pending and paid orders, nothing shipped. */
export function canCancel(status: OrderStatus): boolean {
  return nextStatuses(status).includes('cancelled');
}

const LABELS: Record<OrderStatus, string> = {
  pending: 'Pending',
  paid: 'Paid',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export function statusLabel(status: OrderStatus): string {
  return LABELS[status] ?? status;
}
