/** How an order is named in subjects: the first block of its UUID, "#3F2A9C1B". */
export function orderReference(orderId: string): string {
  const head = orderId.split('-')[0];
  return `#${(head.length >= 6 && head.length <= 12 ? head : orderId.slice(0, 12)).toUpperCase()}`;
}
