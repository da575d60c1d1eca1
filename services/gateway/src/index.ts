/** @cartwheel/gateway: The front door: routing, edge auth, rate limits, resilience and API docs. Exports its ServiceDefinition as `service`. */
export {};
