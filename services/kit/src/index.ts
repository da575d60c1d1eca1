/** @cartwheel/kit — the one home of cross-cutting code (DESIGN §4). */
export * from './errors/app-error.js';
export * from './logging/logger.js';
export * from './config/config.js';
export * from './db/knex.js';
export * from './http/api-router.js';
export * from './http/app.js';
export * from './http/health.js';
export * from './http/problem.js';
export * from './http/server.js';
export * from './http/validation.js';
export * from './lifecycle/shutdown.js';
export * from './events/types.js';
export * from './events/index.js';
export * from './outbox/index.js';
export * from './runtime/runtime.js';
export * from './auth/index.js';
export * from './http-client/index.js';
