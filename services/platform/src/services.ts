import type { ServiceDefinition } from '@cartwheel/kit';

/**
 * Every service `make start` runs, in start order (dependencies first). Each service package
 * exports its `ServiceDefinition`; a new service adds one import and one entry here.
 */
export const services: ServiceDefinition[] = [];
