/** @cartwheel/product: The product catalog on MongoDB, or an embedded document store in embedded mode. Exports its ServiceDefinition as `service`. */
export {};
