import { statusLabel, type OrderStatus } from '../lib/order-status.js';

export function StatusBadge(props: { status: OrderStatus }) {
  return <span class={`badge badge-${props.status}`}>{statusLabel(props.status)}</span>;
}

/** Stock as words, not colour alone: "In stock (12)", "Only 3 left", "Out of stock". */
export function StockBadge(props: { quantity: number }) {
  const { quantity } = props;
  if (quantity <= 0) return <span class="badge badge-out">Out of stock</span>;
  if (quantity <= 5) return <span class="badge badge-low">Only {quantity} left</span>;
  return <span class="badge badge-in">In stock ({quantity})</span>;
}
