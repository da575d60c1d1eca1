export * from './types.js';
export { createEvent, parseEvent, type NewEvent } from './envelope.js';
export { injectTraceContext, withTraceContext } from './trace-context.js';
export { DLQ_HEADERS, nextStepAfterFailure } from './retry.js';
export { MalformedEventError, parseEventData } from './event-data.js';
export { createEmbeddedBus, type EmbeddedBusOptions } from './embedded-bus.js';
export { createKafkaBus, type KafkaBusOptions } from './kafka-bus.js';
export {
  ensureProcessedEventsTable,
  idempotent,
  PROCESSED_EVENTS_TABLE,
  type IdempotentHandler,
} from './idempotent-consumer.js';
