/** @cartwheel/order: Orders placed safely: reservation, status machine, cancellation (PostgreSQL). Exports its ServiceDefinition as `service`. */
export {};
