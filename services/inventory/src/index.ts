/** @cartwheel/inventory: Stock levels and reservations that never oversell (PostgreSQL). Exports its ServiceDefinition as `service`. */
export {};
